package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_lcm} (latent consistency models): jump to the denoised estimate, then
 * re-noise it to the next sigma with fresh noise from the job's seeded generator (the
 * eps-prediction noise scaling, denoised + noise·σ).
 */
@Extension
public final class LcmSampler implements Sampler {

    @Override
    public String name() {
        return "lcm";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        NoiseSampler noise = context.defaultNoiseSampler(x);
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            context.step(i, x, denoised, sigma);
            x = denoised;
            if (sigmas[i + 1] > 0f) {
                x = noise.sample(sigma, sigmas[i + 1]).mul(sigmas[i + 1]).add(x);
            }
        }
        return x;
    }
}
