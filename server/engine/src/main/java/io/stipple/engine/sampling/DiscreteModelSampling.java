package io.stipple.engine.sampling;

import io.stipple.plugin.api.ModelSampling;

/**
 * ComfyUI's {@code ModelSamplingDiscrete} (SD1.x, SDXL, eps or v-prediction): the "scaled linear"
 * beta schedule over 1000 timesteps, optionally rescaled to zero terminal SNR, computed in double
 * as torch does in float64, then stored as float32 sigmas and log-sigmas.
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

    /** The same schedule, rescaled to zero terminal SNR when {@code zsnr} (ComfyUI's zsnr option). */
    public static DiscreteModelSampling scaledLinear(boolean zsnr) {
        return zsnr ? of(rescaleZeroTerminalSnr(scaledLinearSigmas(0.00085, 0.012, 1000))) : scaledLinear();
    }

    public static DiscreteModelSampling scaledLinear(double linearStart, double linearEnd, int timesteps) {
        return of(scaledLinearSigmas(linearStart, linearEnd, timesteps));
    }

    private static double[] scaledLinearSigmas(double linearStart, double linearEnd, int timesteps) {
        double[] sqrtBetas = linspace(Math.sqrt(linearStart), Math.sqrt(linearEnd), timesteps);
        double[] sigmas = new double[timesteps];
        double cumprod = 1.0;
        for (int i = 0; i < timesteps; i++) {
            double beta = sqrtBetas[i] * sqrtBetas[i];
            cumprod *= 1.0 - beta;
            sigmas[i] = Math.pow((1.0 - cumprod) / cumprod, 0.5);
        }
        return sigmas;
    }

    /** float64 sigmas stored as float32, their logs taken in float64 first (set_sigmas). */
    private static DiscreteModelSampling of(double[] sigmas) {
        float[] s = new float[sigmas.length];
        float[] logs = new float[sigmas.length];
        for (int i = 0; i < sigmas.length; i++) {
            s[i] = (float) sigmas[i];
            logs[i] = (float) Math.log(sigmas[i]);
        }
        return new DiscreteModelSampling(s, logs);
    }

    /**
     * model_sampling.rescale_zero_terminal_snr_sigmas, in float64 as ComfyUI computes it: √ᾱ shifted so
     * that the last timestep's is 0, scaled so that the first's is unchanged, squared, the last set to
     * 4.8973451890853435e-08 (so that its sigma is finite), and back to sigmas.
     */
    static double[] rescaleZeroTerminalSnr(double[] sigmas) {
        int n = sigmas.length;
        double[] sqrtAlphaBar = new double[n];
        for (int i = 0; i < n; i++) {
            sqrtAlphaBar[i] = Math.sqrt(1 / (sigmas[i] * sigmas[i] + 1));
        }
        double first = sqrtAlphaBar[0];
        double last = sqrtAlphaBar[n - 1];
        double scale = first / (first - last);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double a = (sqrtAlphaBar[i] - last) * scale;
            double alphaBar = a * a;
            if (i == n - 1) {
                alphaBar = 4.8973451890853435e-08;
            }
            out[i] = Math.pow((1 - alphaBar) / alphaBar, 0.5);
        }
        return out;
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
