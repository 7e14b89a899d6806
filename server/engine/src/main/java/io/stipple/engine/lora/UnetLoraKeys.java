package io.stipple.engine.lora;

import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraKeyMap.Component;
import io.stipple.plugin.api.LoraKeyMap.Target;
import java.util.Map;

/**
 * The UNet's part of the LoRA key map, as ComfyUI's {@code model_lora_keys_unet} builds it for SD1.x
 * and SDXL: every weight under its LDM name ({@code lora_unet_input_blocks_1_1_proj_in},
 * {@code diffusion_model.input_blocks.1.1.proj_in}) and under its diffusers name, kohya's
 * {@code lora_unet_down_blocks_0_attentions_0_proj_in}, SimpleTuner's {@code lycoris_...} and
 * diffusers' own ({@code down_blocks.0...} and {@code unet.down_blocks.0...}, attention projections
 * spelled as the old attention processors: {@code attn1.processor.to_q}, {@code attn1.processor.to_out}).
 */
final class UnetLoraKeys {
    private UnetLoraKeys() {}

    static void add(Map<String, Target> stems, String prefix, UnetConfig config, ParameterSource weights) {
        for (String key : weights.keys()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String ldm = key.substring(prefix.length());
            Target target = new Target(key, Component.UNET);
            if (ldm.endsWith(".weight")) {
                String stem = ldm.substring(0, ldm.length() - ".weight".length());
                stems.put("lora_unet_" + stem.replace('.', '_'), target);
                stems.put("diffusion_model." + stem, target);
            } else {
                stems.put("diffusion_model." + ldm, target);
            }
        }
        for (var e : UnetDiffusersNames.of(config).entrySet()) {
            String diffusers = e.getKey();
            String key = prefix + e.getValue();
            if (!diffusers.endsWith(".weight") || !weights.has(key)) {
                continue;
            }
            Target target = new Target(key, Component.UNET);
            String stem = diffusers.substring(0, diffusers.length() - ".weight".length());
            stems.put("lora_unet_" + stem.replace('.', '_'), target);
            stems.put("lycoris_" + stem.replace('.', '_'), target);
            String processor = stem.replace(".to_", ".processor.to_");
            if (processor.endsWith(".to_out.0")) {
                processor = processor.substring(0, processor.length() - 2);
            }
            stems.put(processor, target);
            stems.put("unet." + processor, target);
        }
    }
}
