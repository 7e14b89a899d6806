package io.stipple.engine.sampling;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Sampler;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/**
 * ComfyUI's KSampler from noise to latent: scales the latent into model space, noises it to the
 * first sigma (by sqrt(1 + σ²) when starting from the model's maximum noise, by σ otherwise), runs
 * the sampler, and scales the result back to the VAE's latent space.
 */
public final class KSampler {
    private KSampler() {}

    /**
     * @param latent (batch, 4, h, w) starting VAE latent: zeros for text-to-image
     * @param noise (batch, 4, h, w) the initial noise (ComfyUI's prepare_noise)
     * @return the sampled latent, unscaled (what ComfyUI's LATENT holds)
     */
    public static Tensor sample(Denoiser denoiser, Sampler sampler, float[] sigmas, LatentFormat format,
            Tensor latent, Tensor noise, long seed, StepListener listener) {
        Ops ops = latent.ops();
        Tensor latentIn = format.processIn(latent);
        if (sigmas.length < 2) {
            // nothing to sample (ComfyUI returns the input unchanged)
            return latent;
        }
        ModelSampling ms = denoiser.modelSampling();
        float first = sigmas[0];
        boolean maxDenoise = isClose(ms.sigmaMax(), first) || first > ms.sigmaMax();
        // EPS.noise_scaling: noise * sqrt(1 + sigma²) or noise * sigma, plus the latent, in float32 as torch
        float scale = maxDenoise ? (float) Math.sqrt(1.0f + (float) Math.pow(first, 2.0)) : first;
        Tensor x = noise.mul(scale).add(latentIn);
        Tensor out = sampler.sample(denoiser, x, sigmas.clone(), new JobSamplingContext(seed, ops, sigmas.length - 1, listener));
        return format.processOut(out);
    }

    private static boolean isClose(double a, double b) {
        return Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(a), Math.abs(b));
    }
}
