package io.stipple.engine.workflow;

import io.stipple.engine.pipeline.StableDiffusionModel;
import java.util.List;

/**
 * CLIP: the text encoder of {@code model} ({@code checkpoint} with {@code loras} applied to the text
 * encoders only), stopped at {@code clipSkip} (CLIPSetLastLayer's value; 0 for the family's default).
 */
public record ClipValue(StableDiffusionModel checkpoint, List<LoraUse> loras, StableDiffusionModel model, int clipSkip) implements Value {
    public ClipValue {
        loras = List.copyOf(loras);
    }

    public static ClipValue of(StableDiffusionModel checkpoint) {
        return new ClipValue(checkpoint, List.of(), checkpoint, 0);
    }

    public ClipValue withClipSkip(int layer) {
        return new ClipValue(checkpoint, loras, model, layer);
    }

    @Override
    public ValueType type() {
        return ValueType.CLIP;
    }
}
