package io.stipple.engine.workflow;

import io.stipple.engine.pipeline.StableDiffusionModel;
import java.util.List;

/**
 * MODEL: the diffusion model of {@code model}, which is {@code checkpoint} with {@code loras} applied
 * to the UNet only (a LoraLoader patches MODEL and CLIP separately, each at its own strength).
 */
public record ModelValue(StableDiffusionModel checkpoint, List<LoraUse> loras, StableDiffusionModel model) implements Value {
    public ModelValue {
        loras = List.copyOf(loras);
    }

    public static ModelValue of(StableDiffusionModel checkpoint) {
        return new ModelValue(checkpoint, List.of(), checkpoint);
    }

    @Override
    public ValueType type() {
        return ValueType.MODEL;
    }
}
