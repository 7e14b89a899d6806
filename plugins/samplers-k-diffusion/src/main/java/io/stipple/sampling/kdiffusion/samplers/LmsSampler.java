package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_lms}: linear multistep (Adams–Bashforth in σ) of order up to 4 over
 * the derivatives of the previous steps; the last step into σ = 0 returns the denoised estimate,
 * as ComfyUI does.
 */
@Extension
public final class LmsSampler implements Sampler {
    private static final int ORDER = 4;

    @Override
    public String name() {
        return "lms";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        Deque<Tensor> derivatives = new ArrayDeque<>(); // newest first
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            derivatives.addFirst(Derivative.of(x, sigma, denoised));
            if (derivatives.size() > ORDER) {
                derivatives.removeLast();
            }
            context.step(i, x, denoised, sigma);
            if (sigmas[i + 1] == 0f) {
                x = denoised;
                continue;
            }
            int order = Math.min(i + 1, ORDER);
            Iterator<Tensor> newestFirst = derivatives.iterator();
            Tensor sum = null;
            for (int j = 0; j < order; j++) {
                Tensor term = newestFirst.next().mul(LinearMultistep.coefficient(order, sigmas, i, j));
                sum = sum == null ? term : sum.add(term);
            }
            x = x.add(sum);
        }
        return x;
    }
}
