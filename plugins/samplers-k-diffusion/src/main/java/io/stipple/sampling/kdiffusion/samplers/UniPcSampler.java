package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's "uni_pc": UniPC with B(h) = h (see {@link UniPc}). ComfyUI schedules it one step longer
 * and drops the penultimate sigma. As in ComfyUI, the step callback gets the variance-preserving
 * latent x/√(1+σ²), and a single-step schedule returns its input almost unchanged.
 */
@Extension
public final class UniPcSampler implements Sampler {

    @Override
    public String name() {
        return "uni_pc";
    }

    @Override
    public boolean discardsPenultimateSigma() {
        return true;
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        return new UniPc(denoiser, UniPc.Variant.BH1).sample(x, sigmas, context);
    }
}
