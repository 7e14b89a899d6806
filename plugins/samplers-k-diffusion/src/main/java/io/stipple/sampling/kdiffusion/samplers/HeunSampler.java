package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_heun} (Karras et al. 2022, Algorithm 2, no churn): Heun's method,
 * two model calls per step, and an Euler step into σ = 0.
 */
@Extension
public final class HeunSampler implements Sampler {

    @Override
    public String name() {
        return "heun";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            float next = sigmas[i + 1];
            Tensor denoised = denoiser.denoise(x, sigma);
            Tensor d = Derivative.of(x, sigma, denoised);
            context.step(i, x, denoised, sigma);
            float dt = next - sigma;
            if (next == 0f) {
                x = x.addScaled(d, dt);
            } else {
                Tensor x2 = x.addScaled(d, dt);
                Tensor d2 = Derivative.of(x2, next, denoiser.denoise(x2, next));
                Tensor dPrime = d.add(d2).div(2.0);
                x = x.addScaled(dPrime, dt);
            }
        }
        return x;
    }
}
