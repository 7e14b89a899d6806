package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_euler_ancestral} (eta 1, s_noise 1): an Euler step down to σ_down,
 * then fresh noise of σ_up from the job's seeded generator. The last step returns the denoised
 * estimate, as ComfyUI does.
 */
@Extension
public final class EulerAncestralSampler implements Sampler {
    private final double eta;
    private final double sNoise;

    public EulerAncestralSampler() {
        this(1.0, 1.0);
    }

    EulerAncestralSampler(double eta, double sNoise) {
        this.eta = eta;
        this.sNoise = sNoise;
    }

    @Override
    public String name() {
        return "euler_ancestral";
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
                x = denoised;
            } else {
                Tensor d = Derivative.of(x, sigma, denoised);
                float dt = step.down() - sigma;
                Tensor fresh = noise.sample(sigma, sigmas[i + 1]);
                x = x.addScaled(d, dt).add(fresh.mul(sNoise).mul(step.up()));
            }
        }
        return x;
    }
}
