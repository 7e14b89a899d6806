package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * ComfyUI's {@code sample_deis} (DEIS "tab", up to order 3, from zju-pi/diff-sampler): a multistep
 * exponential integrator whose coefficients come from {@link DeisCoefficients}; Euler into σ = 0.
 * As in ComfyUI, the step callback is given the sampler's input latent.
 */
@Extension
public final class DeisSampler implements Sampler {
    private static final int MAX_ORDER = 3;

    @Override
    public String name() {
        return "deis";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length < 2) {
            return x;
        }
        float[][] coefficients = DeisCoefficients.tab(sigmas, MAX_ORDER);
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
            int order = tNext <= 0f ? 1 : Math.min(MAX_ORDER, i + 1);
            if (order == 1) {
                xNext = xCur.add(d.mul(tNext - tCur));
            } else {
                float[] c = coefficients[i];
                xNext = xCur.add(d.mul(c[0]));
                for (int k = 1; k < order; k++) {
                    xNext = xNext.add(history.back(k).mul(c[k]));
                }
            }
            history.push(d);
        }
        return xNext;
    }
}
