package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;

/**
 * The loop of ComfyUI's iPNDM samplers ({@code sample_ipndm} and {@code sample_ipndm_v}, improved
 * pseudo-numerical methods from zju-pi/diff-sampler), which differ only in how they weigh the
 * derivatives of up to four steps ({@link #multistep}): an Euler step first, and the denoised
 * estimate on the last step into σ = 0. As in ComfyUI, the step callback is given the sampler's
 * input latent, not the current state.
 */
abstract sealed class Ipndm implements Sampler permits IpndmSampler, IpndmVSampler {
    static final int MAX_ORDER = 4;

    @Override
    public final Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        Tensor input = x;
        Tensor xNext = x;
        DerivativeHistory history = new DerivativeHistory(MAX_ORDER - 1);
        for (int i = 0; i < sigmas.length - 1; i++) {
            float tCur = sigmas[i];
            float tNext = sigmas[i + 1];
            Tensor xCur = xNext;
            Tensor denoised = denoiser.denoise(xCur, tCur);
            context.step(i, input, denoised, tCur);
            Tensor d = xCur.sub(denoised).div(tCur);
            int order = Math.min(MAX_ORDER, i + 1);
            float dt = tNext - tCur;
            if (tNext == 0f) {
                xNext = denoised;
            } else if (order == 1) {
                xNext = xCur.add(d.mul(dt));
            } else {
                xNext = xCur.add(multistep(order, d, history, dt, sigmas, i));
            }
            history.push(d);
        }
        return xNext;
    }

    /**
     * The step x_next − x of order 2 to 4 at step i (of size dt) from this step's derivative d and
     * those of the previous steps.
     */
    abstract Tensor multistep(int order, Tensor d, DerivativeHistory history, float dt, float[] sigmas, int i);
}
