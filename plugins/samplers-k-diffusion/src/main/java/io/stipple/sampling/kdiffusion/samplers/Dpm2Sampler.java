package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpm_2} (no churn): a DPM-Solver-2 style midpoint step, evaluating
 * the model again at the geometric mean of the two sigmas; Euler into σ = 0. ComfyUI schedules it
 * one step longer and drops the penultimate sigma.
 */
@Extension
public final class Dpm2Sampler implements Sampler {

    @Override
    public String name() {
        return "dpm_2";
    }

    @Override
    public boolean discardsPenultimateSigma() {
        return true;
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            float next = sigmas[i + 1];
            Tensor denoised = denoiser.denoise(x, sigma);
            Tensor d = Derivative.of(x, sigma, denoised);
            context.step(i, x, denoised, sigma);
            if (next == 0f) {
                x = x.addScaled(d, next - sigma);
            } else {
                float mid = F32.exp(F32.lerp(F32.log(sigma), F32.log(next), 0.5f));
                Tensor x2 = x.addScaled(d, mid - sigma);
                Tensor d2 = Derivative.of(x2, mid, denoiser.denoise(x2, mid));
                x = x.addScaled(d2, next - sigma);
            }
        }
        return x;
    }
}
