package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_heunpp2} (from sd-webui-samplers-scheduler, no churn): each step averages
 * the derivatives at this sigma and the next two, weighted by how far they are from the start;
 * plain Heun on the second-to-last step and Euler on the last.
 */
@Extension
public final class HeunPp2Sampler implements Sampler {

    @Override
    public String name() {
        return "heunpp2";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length < 2) {
            return x;
        }
        float end = sigmas[sigmas.length - 1];
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            float next = sigmas[i + 1];
            Tensor denoised = denoiser.denoise(x, sigma);
            Tensor d = Derivative.of(x, sigma, denoised);
            context.step(i, x, denoised, sigma);
            float dt = next - sigma;
            if (next == end) {
                x = x.addScaled(d, dt);
            } else if (sigmas[i + 2] == end) {
                Tensor x2 = x.addScaled(d, dt);
                Tensor d2 = Derivative.of(x2, next, denoiser.denoise(x2, next));
                float w = 2f * sigmas[0];
                float w2 = next / w;
                float w1 = 1f - w2;
                Tensor dPrime = d.mul(w1).add(d2.mul(w2));
                x = x.addScaled(dPrime, dt);
            } else {
                float afterNext = sigmas[i + 2];
                Tensor x2 = x.addScaled(d, dt);
                Tensor d2 = Derivative.of(x2, next, denoiser.denoise(x2, next));
                Tensor x3 = x2.addScaled(d2, afterNext - next);
                Tensor d3 = Derivative.of(x3, afterNext, denoiser.denoise(x3, afterNext));
                float w = 3f * sigmas[0];
                float w2 = next / w;
                float w3 = afterNext / w;
                float w1 = 1f - w2 - w3;
                Tensor dPrime = d.mul(w1).add(d2.mul(w2)).add(d3.mul(w3));
                x = x.addScaled(dPrime, dt);
            }
        }
        return x;
    }
}
