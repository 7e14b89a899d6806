package io.stipple.engine.sampling;

import io.stipple.plugin.api.ModelSampling;

/**
 * ComfyUI's {@code ModelSamplingDiscrete} for eps-prediction models (SD1.x, SDXL): the
 * "scaled linear" beta schedule over 1000 timesteps, computed in double as torch does in float64,
 * then stored as float32 sigmas and log-sigmas.
 */
public final class DiscreteModelSampling implements ModelSampling {
    private final float[] sigmas;
    private final float[] logSigmas;

    private DiscreteModelSampling(float[] sigmas, float[] logSigmas) {
        this.sigmas = sigmas;
        this.logSigmas = logSigmas;
    }

    /** SD1.x's and SDXL's schedule: betas from 0.00085 to 0.012, 1000 steps. */
    public static DiscreteModelSampling scaledLinear() {
        return scaledLinear(0.00085, 0.012, 1000);
    }

    public static DiscreteModelSampling scaledLinear(double linearStart, double linearEnd, int timesteps) {
        double[] sqrtBetas = linspace(Math.sqrt(linearStart), Math.sqrt(linearEnd), timesteps);
        float[] sigmas = new float[timesteps];
        float[] logSigmas = new float[timesteps];
        double cumprod = 1.0;
        for (int i = 0; i < timesteps; i++) {
            double beta = sqrtBetas[i] * sqrtBetas[i];
            cumprod *= 1.0 - beta;
            double sigma = Math.pow((1.0 - cumprod) / cumprod, 0.5);
            sigmas[i] = (float) sigma;
            logSigmas[i] = (float) Math.log(sigma);
        }
        return new DiscreteModelSampling(sigmas, logSigmas);
    }

    /** torch.linspace in float64: the first half counts up from start, the second half down from end. */
    static double[] linspace(double start, double end, int steps) {
        double[] out = new double[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        double step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        }
        return out;
    }

    @Override
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float sigmaMin() {
        return sigmas[0];
    }

    @Override
    public float sigmaMax() {
        return sigmas[sigmas.length - 1];
    }

    public float[] logSigmas() {
        return logSigmas.clone();
    }

    /** The nearest timestep in log-sigma (ComfyUI's timestep(): argmin |log σ − log_sigmas|, first on ties). */
    @Override
    public float timestep(float sigma) {
        float logSigma = (float) Math.log(sigma);
        int best = 0;
        float bestDist = Float.POSITIVE_INFINITY;
        for (int i = 0; i < logSigmas.length; i++) {
            float d = Math.abs(logSigma - logSigmas[i]);
            if (d < bestDist) {
                bestDist = d;
                best = i;
            }
        }
        return best;
    }

    /** Log-linear interpolation of the table at a fractional timestep (ComfyUI's sigma()). */
    @Override
    public float sigma(float timestep) {
        float t = Math.max(0f, Math.min(sigmas.length - 1, timestep));
        int low = (int) Math.floor(t);
        int high = (int) Math.ceil(t);
        float w = t - low;
        float logSigma = (1 - w) * logSigmas[low] + w * logSigmas[high];
        return (float) Math.exp(logSigma);
    }
}
