package io.stipple.sampling.kdiffusion.samplers;

import static io.stipple.sampling.kdiffusion.samplers.SdeSampler.ETA;
import static io.stipple.sampling.kdiffusion.samplers.SdeSampler.S_NOISE;

import io.stipple.plugin.api.NoiseSampler;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;

/**
 * What k-diffusion's {@code sample_dpmpp_2m_sde} and {@code sample_dpmpp_3m_sde} compute alike for
 * a step from σ to σ' > 0 in the half-log-SNR λ = −log σ: the step h, h_η = h·(η + 1), α_t = σ'·e^λ',
 * the first-order data-prediction update, and the fresh noise that ends the step.
 */
record SdeStep(float sigma, float next, float h, float hEta, float alphaT) {

    static SdeStep of(float sigma, float next) {
        float lambdaS = -F32.log(sigma);
        float lambdaT = -F32.log(next);
        float h = lambdaT - lambdaS;
        return new SdeStep(sigma, next, h, h * (ETA + 1f), next * F32.exp(lambdaT));
    }

    /** 1 − e^(−h_η), the weight (times α_t) of the denoised estimate in the first-order update. */
    float phi() {
        return -F32.expm1(-hEta);
    }

    /** σ'/σ·e^(−ηh)·x + α_t·(1 − e^(−h_η))·denoised. */
    Tensor firstOrder(Tensor x, Tensor denoised) {
        return x.mul(next / sigma * F32.exp(-h * ETA)).add(denoised.mul(alphaT * phi()));
    }

    /** x plus the step's noise, scaled by σ'·√(1 − e^(−2ηh))·s_noise. */
    Tensor withNoise(Tensor x, NoiseSampler noise) {
        Tensor fresh = noise.sample(sigma, next);
        return x.add(fresh.mul(next).mul(F32.sqrt(-F32.expm1(-2f * h * ETA))).mul(S_NOISE));
    }
}
