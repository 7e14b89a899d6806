package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_2s_ancestral} (eta 1, s_noise 1): a DPM-Solver++(2S)
 * single-step second-order step down to σ_down (model evaluated again at the midpoint in
 * t = −log σ), then fresh noise of σ_up from the job's seeded generator; Euler into σ = 0.
 */
@Extension
public final class DpmPp2sAncestralSampler implements Sampler {
    private static final float R = 0.5f;
    private final double eta;
    private final double sNoise;

    public DpmPp2sAncestralSampler() {
        this(1.0, 1.0);
    }

    DpmPp2sAncestralSampler(double eta, double sNoise) {
        this.eta = eta;
        this.sNoise = sNoise;
    }

    @Override
    public String name() {
        return "dpmpp_2s_ancestral";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        NoiseSampler noise = context.defaultNoiseSampler(x);
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            AncestralStep step = AncestralStep.of(sigma, sigmas[i + 1], eta);
            context.step(i, x, denoised, sigma);
            if (step.down() == 0f) {
                Tensor d = Derivative.of(x, sigma, denoised);
                x = x.addScaled(d, step.down() - sigma);
            } else {
                float t = -F32.log(sigma);
                float tNext = -F32.log(step.down());
                float h = tNext - t;
                float s = t + R * h;
                float sigmaS = F32.exp(-s);
                Tensor x2 = x.mul(sigmaS / F32.exp(-t)).sub(denoised.mul(F32.expm1(-h * R)));
                Tensor denoised2 = denoiser.denoise(x2, sigmaS);
                x = x.mul(F32.exp(-tNext) / F32.exp(-t)).sub(denoised2.mul(F32.expm1(-h)));
            }
            if (sigmas[i + 1] > 0f) {
                Tensor fresh = noise.sample(sigma, sigmas[i + 1]);
                x = x.add(fresh.mul(sNoise).mul(step.up()));
            }
        }
        return x;
    }
}
