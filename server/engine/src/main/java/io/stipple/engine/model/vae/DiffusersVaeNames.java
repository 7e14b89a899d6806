package io.stipple.engine.model.vae;

import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A VAE in the diffusers layout seen under the ldm names the VAE reads, renamed as ComfyUI's
 * {@code diffusers_convert.convert_vae_state_dict} renames them (the same replacements, in the same
 * order), and the mid-block attention's linear [c, c] weights seen as the 1×1 convolutions [c, c, 1, 1]
 * of the ldm layout.
 */
final class DiffusersVaeNames implements ParameterSource {
    /** (ldm, diffusers) replacements, applied to every name in this order. */
    private static final List<String[]> NAMES = names();
    /** The same for the names under an attention block, applied after. */
    private static final List<String[]> ATTENTION = List.of(new String[] {"norm.", "group_norm."}, new String[] {"q.", "query."},
            new String[] {"k.", "key."}, new String[] {"v.", "value."}, new String[] {"q.", "to_q."}, new String[] {"k.", "to_k."},
            new String[] {"v.", "to_v."}, new String[] {"proj_out.", "to_out.0."}, new String[] {"proj_out.", "proj_attn."});

    private final ParameterSource inner;
    private final Map<String, String> diffusersName = new HashMap<>(); // by ldm name
    private final List<String> keys = new ArrayList<>();

    DiffusersVaeNames(ParameterSource inner) {
        this.inner = inner;
        for (String k : inner.keys()) {
            String v = k;
            for (String[] r : NAMES) {
                v = v.replace(r[1], r[0]);
            }
            if (k.contains("attentions")) {
                for (String[] r : ATTENTION) {
                    v = v.replace(r[1], r[0]);
                }
            }
            diffusersName.put(v, k);
            keys.add(v);
        }
    }

    static boolean isDiffusersLayout(ParameterSource weights) {
        return weights.has("decoder.up_blocks.0.resnets.0.norm1.weight");
    }

    private static List<String[]> names() {
        List<String[]> m = new ArrayList<>();
        m.add(new String[] {"nin_shortcut", "conv_shortcut"});
        m.add(new String[] {"norm_out", "conv_norm_out"});
        m.add(new String[] {"mid.attn_1.", "mid_block.attentions.0."});
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                m.add(new String[] {"encoder.down." + i + ".block." + j + ".", "encoder.down_blocks." + i + ".resnets." + j + "."});
            }
            if (i < 3) {
                m.add(new String[] {"down." + i + ".downsample.", "down_blocks." + i + ".downsamplers.0."});
                m.add(new String[] {"up." + (3 - i) + ".upsample.", "up_blocks." + i + ".upsamplers.0."});
            }
            for (int j = 0; j < 3; j++) {
                m.add(new String[] {"decoder.up." + (3 - i) + ".block." + j + ".", "decoder.up_blocks." + i + ".resnets." + j + "."});
            }
        }
        for (int i = 0; i < 2; i++) {
            m.add(new String[] {"mid.block_" + (i + 1) + ".", "mid_block.resnets." + i + "."});
        }
        return List.copyOf(m);
    }

    /** The mid-block attention's q, k, v and proj_out weights: linear in diffusers, 1×1 convolutions in ldm. */
    private static boolean isConvolution(String ldmName) {
        for (String w : new String[] {"q", "k", "v", "proj_out"}) {
            if (ldmName.endsWith("mid.attn_1." + w + ".weight")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Tensor> find(String key) {
        String k = diffusersName.get(key);
        if (k == null) {
            return Optional.empty();
        }
        return inner.find(k).map(t -> isConvolution(key) && t.rank() == 2 ? t.reshape(t.dim(0), t.dim(1), 1, 1) : t);
    }

    @Override
    public Optional<TensorInfo> info(String key) {
        String k = diffusersName.get(key);
        if (k == null) {
            return Optional.empty();
        }
        return inner.info(k).map(i -> {
            Shape s = i.shape();
            Shape shape = isConvolution(key) && s.rank() == 2 ? Shape.of(s.dim(0), s.dim(1), 1, 1) : s;
            return new TensorInfo(key, i.dtype(), shape);
        });
    }

    @Override
    public List<String> keys() {
        return List.copyOf(keys);
    }
}
