package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_ddpm}: the ancestral DDPM update (Ho et al. 2020) between the ᾱ of two
 * sigmas, computed on the variance-preserving latent x/√(1+σ²) with noise from the job's seeded
 * generator.
 */
@Extension
public final class DdpmSampler implements Sampler {

    @Override
    public String name() {
        return "ddpm";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        NoiseSampler noise = context.defaultNoiseSampler(x);
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            float next = sigmas[i + 1];
            Tensor denoised = denoiser.denoise(x, sigma);
            context.step(i, x, denoised, sigma);
            Tensor eps = x.sub(denoised).div(sigma);
            Tensor vp = x.div(F32.sqrt(1f + sigma * sigma));
            x = step(vp, sigma, next, eps, noise);
            if (next != 0f) {
                x = x.mul(F32.sqrt(1f + next * next));
            }
        }
        return x;
    }

    /** ComfyUI's {@code DDPMSampler_step}: the posterior mean, plus noise of its std unless at σ = 0. */
    private static Tensor step(Tensor x, float sigma, float sigmaPrev, Tensor eps, NoiseSampler noise) {
        float alphaCumprod = 1f / (sigma * sigma + 1f);
        float alphaCumprodPrev = 1f / (sigmaPrev * sigmaPrev + 1f);
        float alpha = alphaCumprod / alphaCumprodPrev;
        Tensor mu = x.sub(eps.mul(1f - alpha).div(F32.sqrt(1f - alphaCumprod))).mul(F32.sqrt(1f / alpha));
        if (sigmaPrev > 0f) {
            float std = F32.sqrt((1f - alpha) * (1f - alphaCumprodPrev) / (1f - alphaCumprod));
            mu = mu.add(noise.sample(sigma, sigmaPrev).mul(std));
        }
        return mu;
    }
}
