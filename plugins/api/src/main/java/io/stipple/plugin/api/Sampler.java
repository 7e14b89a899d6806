package io.stipple.plugin.api;

import io.stipple.tensor.Tensor;
import org.pf4j.ExtensionPoint;

/**
 * A sampling algorithm (k-diffusion's {@code sample_*} functions): walks the latent down the
 * sigmas, calling the denoiser, and returns the final latent.
 */
public interface Sampler extends ExtensionPoint {

    /** The name requests use, ComfyUI's where one exists ("euler", "dpmpp_2m"). */
    String name();

    /**
     * @param x the starting latent, already noised to {@code sigmas[0]}
     * @param sigmas the noise levels to visit, descending, usually ending in 0
     */
    Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context);

    /**
     * Whether the schedule is computed for one step more and its penultimate sigma dropped, as
     * ComfyUI does for dpm_2, dpm_2_ancestral, uni_pc and uni_pc_bh2.
     */
    default boolean discardsPenultimateSigma() {
        return false;
    }
}
