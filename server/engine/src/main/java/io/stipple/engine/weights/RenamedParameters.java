package io.stipple.engine.weights;

import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * A source whose keys under one prefix are seen under another, and no longer under their own: an
 * older key layout read under the names the models use, as ComfyUI renames a state dict's keys
 * when it loads one ({@link #comfyNames}).
 */
public final class RenamedParameters implements ParameterSource {
    /** SD1.x CLIP keys of an older transformers layout, without "text_model." (SD15.process_clip_state_dict). */
    private static final String OLD_CLIP = "cond_stage_model.transformer.";
    private static final String CLIP = OLD_CLIP + "text_model.";

    private final ParameterSource inner;
    private final String from;
    private final String to;

    /** Keys of {@code inner} under {@code from} are seen under {@code to}. */
    public RenamedParameters(ParameterSource inner, String from, String to) {
        this.inner = inner;
        this.from = from;
        this.to = to;
    }

    /**
     * {@code weights} with the older layouts ComfyUI renames on loading seen under today's names: an SD1.x
     * checkpoint whose CLIP is at {@code cond_stage_model.transformer.embeddings.*} (no {@code text_model.}).
     * Other sources are returned as they are.
     */
    public static ParameterSource comfyNames(ParameterSource weights) {
        if (weights instanceof RenamedParameters || !weights.has(OLD_CLIP + "embeddings.token_embedding.weight")
                || weights.has(CLIP + "embeddings.token_embedding.weight")) {
            return weights;
        }
        return new RenamedParameters(weights, OLD_CLIP, CLIP);
    }

    /** The key {@code inner} has for {@code key}, or null when {@code key} is an old name, now hidden. */
    private String inner(String key) {
        if (key.startsWith(to)) {
            return from + key.substring(to.length());
        }
        return key.startsWith(from) ? null : key;
    }

    @Override
    public Optional<Tensor> find(String key) {
        String k = inner(key);
        return k == null ? Optional.empty() : inner.find(k);
    }

    @Override
    public Optional<TensorInfo> info(String key) {
        String k = inner(key);
        return k == null ? Optional.empty() : inner.info(k).map(i -> new TensorInfo(key, i.dtype(), i.shape()));
    }

    @Override
    public List<String> keys() {
        return inner.keys().stream().map(k -> k.startsWith(from) ? to + k.substring(from.length()) : k).toList();
    }
}
