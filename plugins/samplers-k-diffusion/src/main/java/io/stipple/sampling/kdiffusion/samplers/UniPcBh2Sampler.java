package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's "uni_pc_bh2": UniPC with B(h) = e^h − 1 (see {@link UniPc}), otherwise as "uni_pc".
 */
@Extension
public final class UniPcBh2Sampler implements Sampler {

    @Override
    public String name() {
        return "uni_pc_bh2";
    }

    @Override
    public boolean discardsPenultimateSigma() {
        return true;
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        return new UniPc(denoiser, UniPc.Variant.BH2).sample(x, sigmas, context);
    }
}
