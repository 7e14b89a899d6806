package io.stipple.engine.weights;

import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A source whose keys under one prefix come from another source: a separate VAE file replacing the
 * checkpoint's ({@code first_stage_model.} ← a VAE file's root), or one component of a merged model.
 */
public final class ComposedParameters implements ParameterSource {
    private final ParameterSource base;
    private final String prefix;
    private final ParameterSource replacement;
    private final String replacementPrefix;

    /**
     * @param prefix keys of {@code base} under this prefix are hidden
     * @param replacementPrefix and replaced by the keys of {@code replacement} under this one
     */
    public ComposedParameters(ParameterSource base, String prefix, ParameterSource replacement, String replacementPrefix) {
        this.base = base;
        this.prefix = prefix;
        this.replacement = replacement;
        this.replacementPrefix = replacementPrefix;
    }

    @Override
    public Optional<Tensor> find(String key) {
        if (key.startsWith(prefix)) {
            return replacement.find(replacementPrefix + key.substring(prefix.length()));
        }
        return base.find(key);
    }

    @Override
    public Optional<TensorInfo> info(String key) {
        if (key.startsWith(prefix)) {
            return replacement.info(replacementPrefix + key.substring(prefix.length()))
                    .map(i -> new TensorInfo(key, i.dtype(), i.shape()));
        }
        return base.info(key);
    }

    @Override
    public List<String> keys() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String k : base.keys()) {
            if (!k.startsWith(prefix)) {
                out.add(k);
            }
        }
        for (String k : replacement.keys()) {
            if (k.startsWith(replacementPrefix)) {
                out.add(prefix + k.substring(replacementPrefix.length()));
            }
        }
        return new ArrayList<>(out);
    }
}
