package io.stipple.engine.workflow;

import io.stipple.engine.model.vae.AutoencoderKL;
import io.stipple.tensor.Ops;

/** VAE. */
public record VaeValue(AutoencoderKL vae, Ops ops) implements Value {
    @Override
    public ValueType type() {
        return ValueType.VAE;
    }
}
