package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.NoiseSampler;
import io.stipple.tensor.Tensor;

/**
 * Where an SDE sampler gets its noise for a run: ComfyUI's Brownian tree over the schedule
 * ({@link BrownianNoise}) in production; tests may give another source.
 */
@FunctionalInterface
interface SdeNoiseSource {
    SdeNoiseSource BROWNIAN_TREE = BrownianNoise::forSchedule;

    NoiseSampler create(Tensor like, float[] sigmas, long seed);
}
