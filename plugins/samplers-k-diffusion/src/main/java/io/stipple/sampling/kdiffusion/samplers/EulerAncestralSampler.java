package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_euler_ancestral} (eta 1, s_noise 1): an Euler step down to σ_down,
 * then fresh noise of σ_up from the job's seeded generator. The last step returns the denoised
 * estimate, as ComfyUI does.
 */
@Extension
public final class EulerAncestralSampler extends AncestralSampler {

    public EulerAncestralSampler() {
        this(1.0, 1.0);
    }

    EulerAncestralSampler(double eta, double sNoise) {
        super(eta, sNoise);
    }

    @Override
    public String name() {
        return "euler_ancestral";
    }

    @Override
    Tensor step(Denoiser denoiser, Tensor x, Tensor denoised, AncestralStep step, NoiseSampler noise) {
        if (step.down() == 0f) {
            return denoised;
        }
        float sigma = step.from();
        Tensor d = Derivative.of(x, sigma, denoised);
        float dt = step.down() - sigma;
        return withNoise(x.addScaled(d, dt), step, noise);
    }
}
