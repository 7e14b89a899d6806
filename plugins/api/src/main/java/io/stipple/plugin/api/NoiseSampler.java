package io.stipple.plugin.api;

import io.stipple.tensor.Tensor;

/** Fresh noise for a step from {@code sigma} to {@code sigmaNext}, shaped like the latent. */
@FunctionalInterface
public interface NoiseSampler {
    Tensor sample(float sigma, float sigmaNext);
}
