package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_2m}: DPM-Solver++(2M), a second-order multistep exponential
 * integrator in t = −log σ that extrapolates from the previous denoised estimate; first order on
 * the first step and into σ = 0.
 */
@Extension
public final class DpmPp2mSampler implements Sampler {

    @Override
    public String name() {
        return "dpmpp_2m";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        Tensor oldDenoised = null;
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            context.step(i, x, denoised, sigma);
            float t = -F32.log(sigma);
            float tNext = -F32.log(sigmas[i + 1]);
            float h = tNext - t;
            float ratio = F32.exp(-tNext) / F32.exp(-t);
            float phi = F32.expm1(-h);
            if (oldDenoised == null || sigmas[i + 1] == 0f) {
                x = x.mul(ratio).sub(denoised.mul(phi));
            } else {
                float hLast = t - -F32.log(sigmas[i - 1]);
                float r = hLast / h;
                float c = 1f / (2f * r);
                Tensor denoisedD = denoised.mul(1f + c).sub(oldDenoised.mul(c));
                x = x.mul(ratio).sub(denoisedD.mul(phi));
            }
            oldDenoised = denoised;
        }
        return x;
    }
}
