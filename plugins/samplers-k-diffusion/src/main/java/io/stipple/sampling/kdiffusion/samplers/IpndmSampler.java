package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_ipndm} (improved pseudo-numerical methods, from zju-pi/diff-sampler):
 * Adams–Bashforth with fixed coefficients up to order 4; the last step into σ = 0 returns the
 * denoised estimate. As in ComfyUI, the step callback is given the sampler's input latent, not the
 * current state.
 */
@Extension
public final class IpndmSampler implements Sampler {
    private static final int MAX_ORDER = 4;

    @Override
    public String name() {
        return "ipndm";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
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
            } else if (order == 2) {
                xNext = xCur.add(d.mul(3).sub(history.back(1)).mul(dt).div(2));
            } else if (order == 3) {
                Tensor combination = d.mul(23).sub(history.back(1).mul(16)).add(history.back(2).mul(5));
                xNext = xCur.add(combination.mul(dt).div(12));
            } else {
                Tensor combination = d.mul(55).sub(history.back(1).mul(59)).add(history.back(2).mul(37))
                        .sub(history.back(3).mul(9));
                xNext = xCur.add(combination.mul(dt).div(24));
            }
            history.push(d);
        }
        return xNext;
    }
}
