package io.stipple.engine.workflow;

import io.stipple.tensor.Tensor;

/** LATENT: ComfyUI's {@code samples}, (batch, 4, h, w), unscaled (VAE space). */
public record LatentValue(Tensor samples) implements Value {
    @Override
    public ValueType type() {
        return ValueType.LATENT;
    }
}
