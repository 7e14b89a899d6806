package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpm_2_ancestral} (eta 1, s_noise 1): the DPM-2 midpoint step down to
 * σ_down, then fresh noise of σ_up from the job's seeded generator. ComfyUI schedules it one step
 * longer and drops the penultimate sigma.
 */
@Extension
public final class Dpm2AncestralSampler extends AncestralSampler {

    public Dpm2AncestralSampler() {
        super(1.0, 1.0);
    }

    @Override
    public String name() {
        return "dpm_2_ancestral";
    }

    @Override
    public boolean discardsPenultimateSigma() {
        return true;
    }

    @Override
    Tensor step(Denoiser denoiser, Tensor x, Tensor denoised, AncestralStep step, NoiseSampler noise) {
        float sigma = step.from();
        Tensor d = Derivative.of(x, sigma, denoised);
        if (step.down() == 0f) {
            return x.addScaled(d, step.down() - sigma);
        }
        float mid = F32.exp(F32.lerp(F32.log(sigma), F32.log(step.down()), 0.5f));
        Tensor x2 = x.addScaled(d, mid - sigma);
        Tensor d2 = Derivative.of(x2, mid, denoiser.denoise(x2, mid));
        return withNoise(x.addScaled(d2, step.down() - sigma), step, noise);
    }
}
