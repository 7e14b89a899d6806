package io.stipple.sampling.kdiffusion.testing;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;

/**
 * ComfyUI's {@code ModelSamplingDiscrete} over the golden sigma table of SD1.5/SDXL: timestep() is
 * the argmin of |log σ − log_sigmas| and sigma() interpolates log σ linearly, in float32. (The engine
 * has its own; plugins cannot import it.)
 */
public final class GoldenModelSampling implements ModelSampling {
    private static GoldenModelSampling instance;
    private final float[] sigmas;
    private final float[] logSigmas;

    private GoldenModelSampling(float[] sigmas, float[] logSigmas) {
        this.sigmas = sigmas;
        this.logSigmas = logSigmas;
    }

    public static synchronized GoldenModelSampling get() {
        if (instance == null) {
            GoldenTensors golden = Golden.tensors("model_sampling/data.safetensors");
            instance = new GoldenModelSampling(golden.floats("sigmas"), golden.floats("log_sigmas"));
        }
        return instance;
    }

    @Override
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float timestep(float sigma) {
        float logSigma = (float) Math.log(sigma);
        int best = 0;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int i = 0; i < logSigmas.length; i++) {
            float distance = Math.abs(logSigma - logSigmas[i]);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = i;
            }
        }
        return best;
    }

    @Override
    public float sigma(float timestep) {
        float t = Math.max(0f, Math.min(sigmas.length - 1, timestep));
        int low = (int) Math.floor(t);
        int high = (int) Math.ceil(t);
        float w = t - low;
        return (float) Math.exp((1f - w) * logSigmas[low] + w * logSigmas[high]);
    }
}
