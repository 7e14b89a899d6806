package io.stipple.engine.lora;

import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.LoraKeyMap.Target;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The LoRA key map of a detected model: every stem a LoRA file may use, for the UNet and the text
 * encoders, mapped to the checkpoint weight it patches (ComfyUI's model_lora_keys_unet and
 * model_lora_keys_clip). Only weights the checkpoint has are targets.
 */
public final class LoraKeyMaps {
    private LoraKeyMaps() {}

    public static LoraKeyMap of(ModelArchitecture architecture, ParameterSource weights) {
        Map<String, Target> stems = new LinkedHashMap<>();
        UnetLoraKeys.add(stems, architecture.unetPrefix(), architecture.unet(), weights);
        TextEncoderLoraKeys.add(stems, architecture.textEncoders(), weights);
        return new LoraKeyMap(Collections.unmodifiableMap(stems));
    }
}
