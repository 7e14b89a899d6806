package io.stipple.plugin.api;

import java.util.Map;
import java.util.Optional;

/**
 * Where a LoRA's keys point: from each key stem a LoRA file may use for a weight (kohya's
 * {@code lora_unet_down_blocks_0_attentions_0_proj_in}, diffusers' {@code unet.down_blocks.0...},
 * the checkpoint's own name) to the model weight it patches, and which part of the model the weight
 * belongs to. The engine builds it from the model's architecture; adapters only look names up.
 */
public record LoraKeyMap(Map<String, Target> stems) {

    /** The part of the model a patch belongs to, which selects the strength it gets. */
    public enum Component { UNET, TEXT_ENCODER }

    /** A model weight: its name in the loaded model, and its component. */
    public record Target(String weight, Component component) {}

    public Optional<Target> target(String stem) {
        return Optional.ofNullable(stems.get(stem));
    }
}
