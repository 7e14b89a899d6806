package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's "ddim", which its KSampler runs as the Euler sampler (deterministic DDIM is the Euler
 * method in σ); ComfyUI only changes how an inpainting mask is re-noised, which Stipple's
 * samplers do not see.
 */
@Extension
public final class DdimSampler implements Sampler {
    private final EulerSampler euler = new EulerSampler();

    @Override
    public String name() {
        return "ddim";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        return euler.sample(denoiser, x, sigmas, context);
    }
}
