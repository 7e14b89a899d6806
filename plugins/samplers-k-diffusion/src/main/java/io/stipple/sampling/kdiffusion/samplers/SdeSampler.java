package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;

/**
 * The set-up k-diffusion's DPM-Solver++ SDE samplers share (dpmpp_sde, dpmpp_2m_sde,
 * dpmpp_3m_sde, at ComfyUI's eta 1 and s_noise 1): a schedule without a step returns its input, and
 * the run's noise comes from the Brownian tree over the schedule, seeded with the job's seed.
 */
abstract sealed class SdeSampler implements Sampler permits DpmPpSdeSampler, DpmPp2mSdeSampler, DpmPp3mSdeSampler {
    static final float ETA = 1f;
    static final float S_NOISE = 1f;

    private final SdeNoiseSource noiseSource;

    SdeSampler(SdeNoiseSource noiseSource) {
        this.noiseSource = noiseSource;
    }

    @Override
    public final Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length <= 1) {
            return x;
        }
        return sample(denoiser, x, sigmas, context, noiseSource.create(x, sigmas, context.seed()));
    }

    /** The sampler's loop over a schedule of at least one step, drawing its noise from {@code noise}. */
    abstract Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context, NoiseSampler noise);
}
