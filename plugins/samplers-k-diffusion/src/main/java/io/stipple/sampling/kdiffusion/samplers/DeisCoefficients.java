package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.sampling.kdiffusion.math.TorchLinspace;

/**
 * The "tab" coefficients of DEIS (Zhang & Chen 2022) as ComfyUI computes them
 * ({@code deis.get_deis_coeff_list}): the sigmas are mapped to the time of a VP SDE fitted to
 * σ ∈ [0.002, 80], and the integral of the exponential-integrator weight times each Lagrange basis
 * polynomial is taken as ComfyUI takes it, a sum over 10 000 evenly spaced points times
 * (t_next − t)/10 000 (which is not quite the integral, so the same sum is used here).
 */
final class DeisCoefficients {
    private static final int POINTS = 10_000;
    private static final double EPSILON_S = 1e-3;
    private static final float SIGMA_MIN = 0.002f;
    private static final double SIGMA_MAX = 80.0;

    private DeisCoefficients() {}

    /** Per step i, the weights of the current and previous derivatives (empty where order is 1). */
    static float[][] tab(float[] sigmas, int maxOrder) {
        // ComfyUI mixes a float32 and a float64 0-dim tensor here; the float32 part rounds first
        float logMin = (float) Math.log(SIGMA_MIN * SIGMA_MIN + 1f) / (float) EPSILON_S;
        double logMax = Math.log(SIGMA_MAX * SIGMA_MAX + 1.0);
        double betaD = 2 * ((double) logMin - logMax) / (EPSILON_S - 1);
        double betaMin = logMax - 0.5 * betaD;
        float[] t = toVpTime(sigmas, betaD, betaMin);
        double beta1 = betaD + betaMin;
        // float64 0-dim tensors meeting float32 ones are rounded to float32
        double beta0 = (float) betaMin;
        double slope = (float) (beta1 - betaMin);

        float[][] coefficients = new float[sigmas.length - 1][];
        for (int i = 0; i < sigmas.length - 1; i++) {
            int order = Math.min(i + 1, maxOrder);
            if (order == 1) {
                coefficients[i] = new float[0];
                continue;
            }
            float[] taus = TorchLinspace.of(t[i], t[i + 1], POINTS);
            float dtau = (t[i + 1] - t[i]) / POINTS;
            float[] previous = new float[order];
            for (int k = 0; k < order; k++) {
                previous[k] = t[i - k];
            }
            double[] sums = new double[order];
            for (float tau : taus) {
                double integrand = integrand(tau, beta0, slope);
                for (int j = 0; j < order; j++) {
                    sums[j] += integrand * basis(previous, j, tau);
                }
            }
            coefficients[i] = new float[order];
            for (int j = 0; j < order; j++) {
                coefficients[i][j] = (float) sums[j] * dtau;
            }
        }
        return coefficients;
    }

    /** The inverse of the VP sigma: t with σ(t)² + 1 = exp(½ β_d t² + β_min t), in float32. */
    private static float[] toVpTime(float[] sigmas, double betaD, double betaMin) {
        float minSquared = (float) (betaMin * betaMin);
        float twoD = (float) (2 * betaD);
        float min = (float) betaMin;
        float d = (float) betaD;
        float[] t = new float[sigmas.length];
        for (int i = 0; i < sigmas.length; i++) {
            float logTerm = (float) Math.log(sigmas[i] * sigmas[i] + 1f);
            t[i] = ((float) Math.sqrt(minSquared + twoD * logTerm) - min) / d;
        }
        return t;
    }

    /** −½ d log α / dτ / √(α(1 − α)) for α(τ) = exp(−½ τ² (β₁ − β₀) − τ β₀). */
    private static double integrand(double tau, double beta0, double slope) {
        double alpha = Math.exp(-0.5 * tau * tau * slope - tau * beta0);
        double dLogAlpha = -tau * slope - beta0;
        return -0.5 * dLogAlpha / Math.sqrt(alpha * (1 - alpha));
    }

    private static double basis(float[] previous, int j, double tau) {
        double product = 1.0;
        for (int k = 0; k < previous.length; k++) {
            if (k != j) {
                product *= (tau - previous[k]) / (previous[j] - previous[k]);
            }
        }
        return product;
    }
}
