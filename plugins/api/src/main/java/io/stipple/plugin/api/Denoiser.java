package io.stipple.plugin.api;

import io.stipple.tensor.Tensor;

/**
 * The model as a sampler sees it: given a noisy latent x at noise level sigma, the estimate of the
 * clean latent (classifier-free guidance already applied). k-diffusion's {@code model(x, sigma)}.
 */
public interface Denoiser {

    /** The denoised estimate of {@code x} (batch, 4, h, w) at noise level {@code sigma}. */
    Tensor denoise(Tensor x, float sigma);

    ModelSampling modelSampling();
}
