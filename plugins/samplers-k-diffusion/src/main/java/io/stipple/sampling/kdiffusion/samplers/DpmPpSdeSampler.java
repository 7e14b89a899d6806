package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpmpp_sde} (eta 1, s_noise 1, r ½): DPM-Solver++ stochastic, two
 * ancestral sub-steps per step in the half-log-SNR λ = −log σ (the model is called again at the
 * intermediate λ), with Brownian-tree noise seeded by the job's seed; the last step into σ = 0
 * returns the denoised estimate.
 */
@Extension
public final class DpmPpSdeSampler extends SdeSampler {
    private static final float R = 0.5f;

    public DpmPpSdeSampler() {
        this(SdeNoiseSource.BROWNIAN_TREE);
    }

    DpmPpSdeSampler(SdeNoiseSource noiseSource) {
        super(noiseSource);
    }

    @Override
    public String name() {
        return "dpmpp_sde";
    }

    @Override
    Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context, NoiseSampler noise) {
        float fac = 1f / (2f * R);
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            float next = sigmas[i + 1];
            Tensor denoised = denoiser.denoise(x, sigma);
            context.step(i, x, denoised, sigma);
            if (next == 0f) {
                x = denoised;
                continue;
            }
            float lambdaS = -F32.log(sigma);
            float lambdaT = -F32.log(next);
            float h = lambdaT - lambdaS;
            float lambdaS1 = lambdaS + R * h;
            float sigmaS1 = F32.exp(-lambdaS1);
            float alphaS = sigma * F32.exp(lambdaS);
            float alphaS1 = sigmaS1 * F32.exp(lambdaS1);
            float alphaT = next * F32.exp(lambdaT);

            // step 1: ancestral step to the intermediate λ
            AncestralStep first = AncestralStep.of(F32.exp(-lambdaS), F32.exp(-lambdaS1), ETA);
            float h1 = -F32.log(first.down()) - lambdaS;
            Tensor x2 = x.mul(alphaS1 / alphaS * F32.exp(-h1)).sub(denoised.mul(alphaS1 * F32.expm1(-h1)));
            x2 = x2.add(noise.sample(sigma, sigmaS1).mul(alphaS1).mul(S_NOISE).mul(first.up()));
            Tensor denoised2 = denoiser.denoise(x2, sigmaS1);

            // step 2: ancestral step to λ_t with the blended estimate
            AncestralStep second = AncestralStep.of(F32.exp(-lambdaS), F32.exp(-lambdaT), ETA);
            float h2 = -F32.log(second.down()) - lambdaS;
            Tensor denoisedD = denoised.mul(1f - fac).add(denoised2.mul(fac));
            x = x.mul(alphaT / alphaS * F32.exp(-h2)).sub(denoisedD.mul(alphaT * F32.expm1(-h2)));
            x = x.add(noise.sample(sigma, next).mul(alphaT).mul(S_NOISE).mul(second.up()));
        }
        return x;
    }
}
