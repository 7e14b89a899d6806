package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.tensor.Tensor;

/**
 * k-diffusion's {@code DPMSolver} (Lu et al. 2022): single-step DPM-Solver of order 1 to 3 in
 * t = −log σ on the noise prediction ε = (x − D(x, σ)) / σ, shared by dpm_fast and dpm_adaptive.
 */
final class DpmSolver {
    private final Denoiser denoiser;

    DpmSolver(Denoiser denoiser) {
        this.denoiser = denoiser;
    }

    static float t(float sigma) {
        return -F32.log(sigma);
    }

    static float sigma(float t) {
        return F32.exp(-t);
    }

    /**
     * The noise predictions of one step, by position in the step (k-diffusion's {@code eps_cache}):
     * a lower- and a higher-order step from the same point share their model calls.
     */
    static final class Evaluations {
        private Tensor eps;
        private Tensor epsR1;
        private Tensor epsR2;
    }

    /**
     * The denoised estimate at the start of the step, x − σ(t)·ε, which dpm_fast and dpm_adaptive
     * report to the step callback (k-diffusion's {@code info_callback}).
     */
    Tensor denoised(Evaluations cache, Tensor x, float t) {
        return x.sub(eps(cache, x, t).mul(sigma(t)));
    }

    /** ε at the start of the step, computing it on first use. */
    private Tensor eps(Evaluations cache, Tensor x, float t) {
        if (cache.eps == null) {
            cache.eps = noise(x, t);
        }
        return cache.eps;
    }

    Tensor step1(Tensor x, float t, float tNext, Evaluations cache) {
        float h = tNext - t;
        Tensor eps = eps(cache, x, t);
        return x.sub(eps.mul(sigma(tNext) * F32.expm1(h)));
    }

    Tensor step2(Tensor x, float t, float tNext, double r1, Evaluations cache) {
        float h = tNext - t;
        Tensor eps = eps(cache, x, t);
        float rh = (float) r1 * h;
        float s1 = t + rh;
        if (cache.epsR1 == null) {
            Tensor u1 = x.sub(eps.mul(sigma(s1) * F32.expm1(rh)));
            cache.epsR1 = noise(u1, s1);
        }
        float em = F32.expm1(h);
        return x.sub(eps.mul(sigma(tNext) * em))
                .sub(cache.epsR1.sub(eps).mul(sigma(tNext) / (float) (2 * r1) * em));
    }

    Tensor step3(Tensor x, float t, float tNext, double r1, double r2, Evaluations cache) {
        float h = tNext - t;
        Tensor eps = eps(cache, x, t);
        float r1h = (float) r1 * h;
        float r2h = (float) r2 * h;
        float s1 = t + r1h;
        float s2 = t + r2h;
        if (cache.epsR1 == null) {
            Tensor u1 = x.sub(eps.mul(sigma(s1) * F32.expm1(r1h)));
            cache.epsR1 = noise(u1, s1);
        }
        if (cache.epsR2 == null) {
            float em2 = F32.expm1(r2h);
            Tensor u2 = x.sub(eps.mul(sigma(s2) * em2))
                    .sub(cache.epsR1.sub(eps).mul(sigma(s2) * (float) (r2 / r1) * (em2 / r2h - 1f)));
            cache.epsR2 = noise(u2, s2);
        }
        float em = F32.expm1(h);
        return x.sub(eps.mul(sigma(tNext) * em))
                .sub(cache.epsR2.sub(eps).mul(sigma(tNext) / (float) r2 * (em / h - 1f)));
    }

    private Tensor noise(Tensor x, float t) {
        float sigma = sigma(t);
        return x.sub(denoiser.denoise(x, sigma)).div(sigma);
    }
}
