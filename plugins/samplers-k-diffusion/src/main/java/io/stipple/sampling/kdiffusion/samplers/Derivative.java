package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.tensor.Tensor;

/** k-diffusion's {@code to_d}: the Karras ODE derivative (x − denoised) / σ. */
final class Derivative {
    private Derivative() {}

    static Tensor of(Tensor x, float sigma, Tensor denoised) {
        return x.sub(denoised).div(sigma);
    }
}
