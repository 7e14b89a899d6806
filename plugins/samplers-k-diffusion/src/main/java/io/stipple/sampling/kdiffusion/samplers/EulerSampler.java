package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_euler} (Karras et al. 2022, Algorithm 2) with ComfyUI's defaults
 * (no churn): one Euler step of the probability-flow ODE per sigma.
 */
@Extension
public final class EulerSampler implements Sampler {

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            Tensor d = Derivative.of(x, sigma, denoised);
            context.step(i, x, denoised, sigma);
            float dt = sigmas[i + 1] - sigma;
            x = x.addScaled(d, dt);
        }
        return x;
    }
}
