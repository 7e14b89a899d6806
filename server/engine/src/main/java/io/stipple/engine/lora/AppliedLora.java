package io.stipple.engine.lora;

import io.stipple.plugin.api.LoraKeyMap.Component;

/**
 * A LoRA with its two strengths, as a LoraLoader node applies it: {@code strengthModel} for the UNet,
 * {@code strengthClip} for the text encoders.
 */
public record AppliedLora(LoadedLora lora, double strengthModel, double strengthClip) {

    public AppliedLora {
        if (!Double.isFinite(strengthModel) || !Double.isFinite(strengthClip)) {
            throw new IllegalArgumentException("LoRA " + lora.name() + " strengths: " + strengthModel + ", " + strengthClip
                    + " (expected: finite numbers)");
        }
    }

    public double strength(Component component) {
        return component == Component.UNET ? strengthModel : strengthClip;
    }
}
