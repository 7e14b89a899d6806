package io.stipple.plugin.api;

/**
 * The model's noise schedule: the discrete table of sigmas it was trained on, and the maps between
 * sigma and timestep (ComfyUI's {@code ModelSamplingDiscrete}).
 */
public interface ModelSampling {

    /** The sigma table in ascending order (index = timestep), float32 as ComfyUI stores it. */
    float[] sigmas();

    default float sigmaMin() {
        return sigmas()[0];
    }

    default float sigmaMax() {
        float[] s = sigmas();
        return s[s.length - 1];
    }

    /** The (fractional) timestep for a sigma, by interpolating log sigma. */
    float timestep(float sigma);

    /** The sigma at a (fractional) timestep, by interpolating log sigma. */
    float sigma(float timestep);

    /** The sigma at {@code percent} of the way through the schedule (0 = start, most noise). */
    default float percentToSigma(double percent) {
        if (percent <= 0.0) {
            return 999999999.9f;
        }
        if (percent >= 1.0) {
            return 0f;
        }
        return sigma((float) ((1.0 - percent) * 999.0));
    }
}
