package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_2s_ancestral} (eta 1, s_noise 1): a DPM-Solver++(2S)
 * single-step second-order step down to σ_down (model evaluated again at the midpoint in
 * t = −log σ), then fresh noise of σ_up from the job's seeded generator; Euler into σ = 0.
 */
@Extension
public final class DpmPp2sAncestralSampler extends AncestralSampler {
    private static final float R = 0.5f;

    public DpmPp2sAncestralSampler() {
        super(1.0, 1.0);
    }

    @Override
    public String name() {
        return "dpmpp_2s_ancestral";
    }

    @Override
    Tensor step(Denoiser denoiser, Tensor x, Tensor denoised, AncestralStep step, NoiseSampler noise) {
        float sigma = step.from();
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
        if (step.to() > 0f) {
            x = withNoise(x, step, noise);
        }
        return x;
    }
}
