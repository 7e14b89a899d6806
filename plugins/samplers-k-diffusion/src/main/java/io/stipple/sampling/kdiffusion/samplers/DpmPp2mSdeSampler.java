package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_2m_sde} (eta 1, s_noise 1, midpoint): DPM-Solver++(2M) for the
 * reverse SDE in the half-log-SNR λ = −log σ, with Brownian-tree noise seeded by the job's seed;
 * the last step into σ = 0 returns the denoised estimate.
 */
@Extension
public final class DpmPp2mSdeSampler extends SdeSampler {

    public DpmPp2mSdeSampler() {
        super(SdeNoiseSource.BROWNIAN_TREE);
    }

    @Override
    public String name() {
        return "dpmpp_2m_sde";
    }

    @Override
    Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context, NoiseSampler noise) {
        Tensor oldDenoised = null;
        float hLast = Float.NaN;
        float h = Float.NaN;
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            float next = sigmas[i + 1];
            Tensor denoised = denoiser.denoise(x, sigma);
            context.step(i, x, denoised, sigma);
            if (next == 0f) {
                x = denoised;
            } else {
                SdeStep step = SdeStep.of(sigma, next);
                h = step.h();
                x = step.firstOrder(x, denoised);
                if (oldDenoised != null) {
                    float r = hLast / h;
                    x = x.add(denoised.sub(oldDenoised).mul(0.5f * step.alphaT() * step.phi() * (1f / r)));
                }
                x = step.withNoise(x, noise);
            }
            oldDenoised = denoised;
            hLast = h;
        }
        return x;
    }
}
