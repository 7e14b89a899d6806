package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_2m_sde} (eta 1, s_noise 1, midpoint): DPM-Solver++(2M) for the
 * reverse SDE in the half-log-SNR λ = −log σ, with Brownian-tree noise seeded by the job's seed;
 * the last step into σ = 0 returns the denoised estimate.
 */
@Extension
public final class DpmPp2mSdeSampler implements Sampler {
    private static final float ETA = 1f;
    private static final float S_NOISE = 1f;

    @Override
    public String name() {
        return "dpmpp_2m_sde";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length <= 1) {
            return x;
        }
        NoiseSampler noise = BrownianNoise.forSchedule(x, sigmas, context.seed());
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
                float lambdaS = -F32.log(sigma);
                float lambdaT = -F32.log(next);
                h = lambdaT - lambdaS;
                float hEta = h * (ETA + 1f);
                float alphaT = next * F32.exp(lambdaT);
                float phi = -F32.expm1(-hEta);
                x = x.mul(next / sigma * F32.exp(-h * ETA)).add(denoised.mul(alphaT * phi));
                if (oldDenoised != null) {
                    float r = hLast / h;
                    x = x.add(denoised.sub(oldDenoised).mul(0.5f * alphaT * phi * (1f / r)));
                }
                Tensor fresh = noise.sample(sigma, next);
                x = x.add(fresh.mul(next).mul(F32.sqrt(-F32.expm1(-2f * h * ETA))).mul(S_NOISE));
            }
            oldDenoised = denoised;
            hLast = h;
        }
        return x;
    }
}
