package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_3m_sde} (eta 1, s_noise 1): DPM-Solver++(3M) for the reverse
 * SDE, third order from the third step on, with Brownian-tree noise seeded by the job's seed; the
 * last step into σ = 0 returns the denoised estimate.
 */
@Extension
public final class DpmPp3mSdeSampler extends SdeSampler {

    public DpmPp3mSdeSampler() {
        this(SdeNoiseSource.BROWNIAN_TREE);
    }

    DpmPp3mSdeSampler(SdeNoiseSource noiseSource) {
        super(noiseSource);
    }

    @Override
    public String name() {
        return "dpmpp_3m_sde";
    }

    @Override
    Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context, NoiseSampler noise) {
        Tensor denoised1 = null;
        Tensor denoised2 = null;
        float h = Float.NaN;
        float h1 = Float.NaN;
        float h2 = Float.NaN;
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
                float hEta = step.hEta();
                float alphaT = step.alphaT();
                x = step.firstOrder(x, denoised);
                float phi2 = F32.expm1(-hEta) / hEta + 1f;
                if (!Float.isNaN(h2)) {
                    float r0 = h1 / h;
                    float r1 = h2 / h;
                    Tensor d10 = denoised.sub(denoised1).div(r0);
                    Tensor d11 = denoised1.sub(denoised2).div(r1);
                    Tensor d1 = d10.add(d10.sub(d11).mul(r0).div(r0 + r1));
                    Tensor d2 = d10.sub(d11).div(r0 + r1);
                    float phi3 = phi2 / hEta - 0.5f;
                    x = x.add(d1.mul(alphaT * phi2)).sub(d2.mul(alphaT * phi3));
                } else if (!Float.isNaN(h1)) {
                    float r = h1 / h;
                    Tensor d = denoised.sub(denoised1).div(r);
                    x = x.add(d.mul(alphaT * phi2));
                }
                x = step.withNoise(x, noise);
            }
            denoised2 = denoised1;
            denoised1 = denoised;
            h2 = h1;
            h1 = h;
        }
        return x;
    }
}
