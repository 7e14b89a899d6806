package io.stipple.engine.lora;

import io.stipple.engine.detect.TextEncoderConfig;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraKeyMap.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text encoders' part of the LoRA key map, as ComfyUI's {@code model_lora_keys_clip} builds it
 * for SD1.x (CLIP-L) and SDXL (CLIP-L and bigG): the generic {@code text_encoders.<ComfyUI name>};
 * for each layer's six projections kohya's {@code lora_te_text_model_encoder_layers_N_self_attn_q_proj}
 * and {@code lora_te1_...} for CLIP-L, {@code lora_te2_...} for bigG beside a CLIP-L, and
 * diffusers' {@code text_encoder.} / {@code text_encoder_2.} {@code text_model.encoder.layers.N.self_attn.q_proj}.
 */
final class TextEncoderLoraKeys {
    /** HF module name -> kohya's spelling. */
    private static final Map<String, String> PROJECTIONS = orderedMap(
            "mlp.fc1", "mlp_fc1", "mlp.fc2", "mlp_fc2", "self_attn.k_proj", "self_attn_k_proj",
            "self_attn.q_proj", "self_attn_q_proj", "self_attn.v_proj", "self_attn_v_proj", "self_attn.out_proj", "self_attn_out_proj");

    /** ComfyUI's loop bound over layer indices. */
    private static final int MAX_LAYERS = 32;

    private TextEncoderLoraKeys() {}

    static void add(Map<String, Target> stems, List<TextEncoderConfig> encoders, ParameterSource weights) {
        Map<String, Target> names = new LinkedHashMap<>();
        for (TextEncoderConfig e : encoders) {
            names.putAll(ClipWeightNames.of(e, weights));
        }
        for (var e : names.entrySet()) {
            String name = e.getKey();
            stems.put("text_encoders." + name.substring(0, name.length() - ".weight".length()), e.getValue());
        }
        boolean clipLPresent = false;
        for (int b = 0; b < MAX_LAYERS; b++) {
            for (var c : PROJECTIONS.entrySet()) {
                String kohya = "text_model_encoder_layers_" + b + "_" + c.getValue();
                String diffusers = "text_model.encoder.layers." + b + "." + c.getKey();
                Target l = names.get("clip_l.transformer.text_model.encoder.layers." + b + "." + c.getKey() + ".weight");
                if (l != null) {
                    stems.put("lora_te_" + kohya, l);
                    stems.put("lora_te1_" + kohya, l);
                    stems.put("text_encoder." + diffusers, l);
                    clipLPresent = true;
                }
                Target g = names.get("clip_g.transformer.text_model.encoder.layers." + b + "." + c.getKey() + ".weight");
                if (g != null) {
                    if (clipLPresent) {
                        stems.put("lora_te2_" + kohya, g);
                        stems.put("text_encoder_2." + diffusers, g);
                    } else {
                        stems.put("lora_te_" + kohya, g);
                        stems.put("text_encoder." + diffusers, g);
                        stems.put("lora_prior_te_" + kohya, g);
                    }
                }
            }
        }
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
