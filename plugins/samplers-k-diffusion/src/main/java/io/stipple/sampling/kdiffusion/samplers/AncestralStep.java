package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.sampling.kdiffusion.math.F32;

/**
 * k-diffusion's {@code get_ancestral_step}: an ancestral step from σ to σ' goes deterministically
 * down to {@code down} and adds fresh noise of standard deviation {@code up}, with
 * down² + up² = σ'² (float32, as on the sampler's sigma tensors).
 */
record AncestralStep(float from, float to, float down, float up) {

    static AncestralStep of(float from, float to, double eta) {
        if (eta == 0.0) {
            return new AncestralStep(from, to, to, 0f);
        }
        float to2 = to * to;
        float from2 = from * from;
        float up = (float) eta * F32.sqrt(to2 * (from2 - to2) / from2);
        up = up < to ? up : to;
        float down = F32.sqrt(to2 - up * up);
        return new AncestralStep(from, to, down, up);
    }
}
