package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.sampling.kdiffusion.math.SmallLinearSystem;
import io.stipple.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * UniPC (Zhao et al. 2023) as ComfyUI runs it ({@code comfy/extra_samplers/uni_pc.py}): the
 * multistep predictor-corrector with B(h) = h (bh1) or e^h − 1 (bh2), data prediction, order up to
 * 3 with lower orders at both ends. ComfyUI's noise schedule ({@code SigmaConvert}) takes σ itself
 * as the time and works on the variance-preserving latent x/√(1+σ²); all scalars are float32.
 */
final class UniPc {
    enum Variant { BH1, BH2 }

    private final Denoiser denoiser;
    private final Variant variant;

    UniPc(Denoiser denoiser, Variant variant) {
        this.denoiser = denoiser;
        this.variant = variant;
    }

    /** ComfyUI's {@code sample_unipc}: x is the sampler's input latent at sigmas[0]. */
    Tensor sample(Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length <= 1) {
            return x;
        }
        float[] timesteps = sigmas.clone();
        int last = timesteps.length - 1;
        if (timesteps[last] == 0f) {
            // UniPC cannot reach σ = 0 (λ is infinite there); ComfyUI stops at 0.001 instead
            timesteps[last] = 0.001f;
        }
        x = x.div(F32.sqrt(1f + timesteps[0] * timesteps[0]));
        int order = Math.min(3, timesteps.length - 2);
        x = multistep(x, timesteps, order, context);
        return x.div(alpha(timesteps[last]));
    }

    private Tensor multistep(Tensor x, float[] timesteps, int order, SamplingContext context) {
        int steps = timesteps.length - 1;
        List<Tensor> models = new ArrayList<>();
        List<Float> times = new ArrayList<>();
        for (int stepIndex = 0; stepIndex < steps; stepIndex++) {
            if (stepIndex == 0) {
                models.add(dataPrediction(x, timesteps[0]));
                times.add(timesteps[0]);
            } else if (stepIndex < order) {
                float t = timesteps[stepIndex];
                Update update = update(x, models, times, t, stepIndex, true);
                x = update.x();
                models.add(update.model());
                times.add(t);
            } else {
                int lastStep = stepIndex == steps - 1 ? stepIndex + 1 : stepIndex;
                for (int step = stepIndex; step <= lastStep; step++) {
                    float t = timesteps[step];
                    int stepOrder = Math.min(order, steps + 1 - step);
                    boolean corrector = step != steps;
                    Update update = update(x, models, times, t, stepOrder, corrector);
                    x = update.x();
                    for (int i = 0; i < order - 1; i++) {
                        times.set(i, times.get(i + 1));
                        models.set(i, models.get(i + 1));
                    }
                    times.set(times.size() - 1, t);
                    if (step < steps) {
                        Tensor model = update.model() != null ? update.model() : dataPrediction(x, t);
                        models.set(models.size() - 1, model);
                    }
                }
            }
            context.step(stepIndex, x, models.get(models.size() - 1), timesteps[stepIndex]);
        }
        return x;
    }

    private record Update(Tensor x, Tensor model) {}

    /** {@code multistep_uni_pc_bh_update} with data prediction. */
    private Update update(Tensor x, List<Tensor> models, List<Float> times, float t, int order, boolean corrector) {
        float tPrev0 = times.get(times.size() - 1);
        Tensor modelPrev0 = models.get(models.size() - 1);
        float lambdaPrev0 = lambda(tPrev0);
        float lambdaT = lambda(t);
        float sigmaPrev0 = std(tPrev0);
        float sigmaT = std(t);
        float alphaT = F32.exp(logMeanCoeff(t));
        float h = lambdaT - lambdaPrev0;

        float[] rks = new float[order];
        List<Tensor> d1s = new ArrayList<>();
        for (int i = 1; i < order; i++) {
            float tPrevI = times.get(times.size() - 1 - i);
            Tensor modelPrevI = models.get(models.size() - 1 - i);
            float rk = (lambda(tPrevI) - lambdaPrev0) / h;
            rks[i - 1] = rk;
            d1s.add(modelPrevI.sub(modelPrev0).div(rk));
        }
        rks[order - 1] = 1f;

        float hh = -h;
        float hPhi1 = F32.expm1(hh);
        float hPhiK = hPhi1 / hh - 1f;
        float bH = variant == Variant.BH1 ? hh : F32.expm1(hh);
        float[][] r = new float[order][order];
        float[] b = new float[order];
        long factorial = 1;
        for (int i = 1; i <= order; i++) {
            for (int k = 0; k < order; k++) {
                r[i - 1][k] = power(rks[k], i - 1);
            }
            b[i - 1] = hPhiK * (float) factorial / bH;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - (float) (1.0 / factorial);
        }

        Tensor xBase = x.mul(sigmaT / sigmaPrev0).sub(modelPrev0.mul(alphaT * hPhi1));
        Tensor xT = xBase;
        if (!d1s.isEmpty()) {
            float[] rhosP = order == 2 ? new float[] {0.5f} : SmallLinearSystem.solve(leading(r, order - 1), java.util.Arrays.copyOf(b, order - 1));
            xT = xBase.sub(weighted(rhosP, d1s).mul(alphaT * bH));
        }
        if (!corrector) {
            return new Update(xT, null);
        }
        float[] rhosC = order == 1 ? new float[] {0.5f} : SmallLinearSystem.solve(r, b);
        Tensor modelT = dataPrediction(xT, t);
        Tensor d1T = modelT.sub(modelPrev0);
        Tensor correction = d1T.mul(rhosC[rhosC.length - 1]);
        if (!d1s.isEmpty()) {
            correction = weighted(rhosC, d1s).add(correction);
        }
        return new Update(xBase.sub(correction.mul(alphaT * bH)), modelT);
    }

    /** Σ_k rhos[k]·d1s[k] over the d1s (einsum 'k,bkchw->bchw'). */
    private static Tensor weighted(float[] rhos, List<Tensor> d1s) {
        Tensor sum = d1s.get(0).mul(rhos[0]);
        for (int k = 1; k < d1s.size(); k++) {
            sum = sum.add(d1s.get(k).mul(rhos[k]));
        }
        return sum;
    }

    private static float[][] leading(float[][] m, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOf(m[i], n);
        }
        return out;
    }

    /** torch.pow(rks, e): 0 fills ones and 1 copies, as torch special-cases them. */
    private static float power(float base, int exponent) {
        return switch (exponent) {
            case 0 -> 1f;
            case 1 -> base;
            default -> F32.pow(base, exponent);
        };
    }

    /**
     * The model as UniPC sees it: the denoiser called on the variance-exploding latent
     * x·√(σ²+1), turned into noise and back into a data prediction on the VP scale.
     */
    private Tensor dataPrediction(Tensor x, float t) {
        Tensor input = x.mul(F32.sqrt(t * t + 1f));
        Tensor eps = input.sub(denoiser.denoise(input, t)).div(t);
        return x.sub(eps.mul(std(t))).div(alpha(t));
    }

    static float logMeanCoeff(float sigma) {
        return 0.5f * F32.log(1f / (sigma * sigma + 1f));
    }

    static float alpha(float sigma) {
        return F32.exp(logMeanCoeff(sigma));
    }

    static float std(float sigma) {
        return F32.sqrt(1f - F32.exp(2f * logMeanCoeff(sigma)));
    }

    static float lambda(float sigma) {
        float logMeanCoeff = logMeanCoeff(sigma);
        return logMeanCoeff - 0.5f * F32.log(1f - F32.exp(2f * logMeanCoeff));
    }
}
