package io.stipple.engine.lora;

import io.stipple.engine.detect.TextEncoderConfig;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraKeyMap.Component;
import io.stipple.plugin.api.LoraKeyMap.Slice;
import io.stipple.plugin.api.LoraKeyMap.Target;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A text encoder's weights under the names ComfyUI gives them after loading
 * ({@code clip_l.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight}), which LoRA key
 * maps are written in, mapped to the checkpoint's own weights.
 *
 * <p>Hugging Face layout encoders (CLIP-L) only change prefix. ComfyUI converts OpenCLIP encoders
 * (SDXL's bigG) to that layout when it loads them; Stipple keeps the checkpoint's layout, so q, k
 * and v, which OpenCLIP stacks in {@code attn.in_proj_weight} (3·width, width), are the three row
 * slices of that weight: a LoRA patches each slice as the weight ComfyUI would have split off.
 * OpenCLIP's {@code text_projection} is stored transposed from ComfyUI's and is left out.
 */
final class ClipWeightNames {
    private static final Map<String, String> OPEN_CLIP_LAYER = Map.of(
            "ln_1", "layer_norm1", "ln_2", "layer_norm2", "mlp.c_fc", "mlp.fc1", "mlp.c_proj", "mlp.fc2",
            "attn.out_proj", "self_attn.out_proj");

    private ClipWeightNames() {}

    /** ComfyUI name ({@code clip_g.transformer.text_model...weight}) -> the checkpoint weight, for every weight present. */
    static Map<String, Target> of(TextEncoderConfig encoder, ParameterSource weights) {
        Map<String, Target> out = new LinkedHashMap<>();
        String comfy = encoder.name() + ".transformer.";
        if (!encoder.openClipLayout()) {
            for (String key : weights.keys()) {
                if (key.startsWith(encoder.prefix()) && key.endsWith(".weight")) {
                    out.put(comfy + key.substring(encoder.prefix().length()), target(key, null));
                }
            }
            return out;
        }
        String p = encoder.prefix();
        String hf = comfy + "text_model.";
        put(out, weights, hf + "embeddings.token_embedding.weight", p + "token_embedding.weight", null);
        put(out, weights, hf + "embeddings.position_embedding.weight", p + "positional_embedding", null);
        put(out, weights, hf + "final_layer_norm.weight", p + "ln_final.weight", null);
        for (int i = 0; i < encoder.layers(); i++) {
            String from = p + "transformer.resblocks." + i + ".";
            String to = hf + "encoder.layers." + i + ".";
            for (var e : OPEN_CLIP_LAYER.entrySet()) {
                put(out, weights, to + e.getValue() + ".weight", from + e.getKey() + ".weight", null);
            }
            String inProj = from + "attn.in_proj_weight";
            String[] qkv = {"q_proj", "k_proj", "v_proj"};
            for (int j = 0; j < 3; j++) {
                put(out, weights, to + "self_attn." + qkv[j] + ".weight", inProj, new Slice(0, j * encoder.width(), encoder.width()));
            }
        }
        return out;
    }

    private static void put(Map<String, Target> out, ParameterSource weights, String comfyName, String key, Slice slice) {
        if (weights.has(key)) {
            out.put(comfyName, target(key, slice));
        }
    }

    private static Target target(String key, Slice slice) {
        return new Target(key, Component.TEXT_ENCODER, slice);
    }
}
