package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;

/**
 * The loop k-diffusion's ancestral samplers share (euler_ancestral, dpm_2_ancestral,
 * dpmpp_2s_ancestral; ComfyUI runs them with eta 1 and s_noise 1): each step calls the model at σ,
 * splits the way to σ' into a deterministic step down to σ_down and fresh noise of σ_up
 * ({@link AncestralStep}) and reports the step; how the sampler gets down to σ_down, and when it
 * adds the noise, is its {@link #step}. The noise comes from the job's seeded generator.
 */
abstract sealed class AncestralSampler implements Sampler
        permits EulerAncestralSampler, Dpm2AncestralSampler, DpmPp2sAncestralSampler {
    private final double eta;
    private final double sNoise;

    AncestralSampler(double eta, double sNoise) {
        this.eta = eta;
        this.sNoise = sNoise;
    }

    @Override
    public final Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        NoiseSampler noise = context.defaultNoiseSampler(x);
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            AncestralStep step = AncestralStep.of(sigma, sigmas[i + 1], eta);
            context.step(i, x, denoised, sigma);
            x = step(denoiser, x, denoised, step, noise);
        }
        return x;
    }

    /** One step from x at σ = step.from(), where the model's estimate is {@code denoised}, to σ' = step.to(). */
    abstract Tensor step(Denoiser denoiser, Tensor x, Tensor denoised, AncestralStep step, NoiseSampler noise);

    /** x plus the step's fresh noise: noise(σ, σ')·s_noise·σ_up. */
    final Tensor withNoise(Tensor x, AncestralStep step, NoiseSampler noise) {
        Tensor fresh = noise.sample(step.from(), step.to());
        return x.add(fresh.mul(sNoise).mul(step.up()));
    }
}
