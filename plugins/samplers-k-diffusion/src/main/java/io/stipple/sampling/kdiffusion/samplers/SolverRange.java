package io.stipple.sampling.kdiffusion.samplers;

/**
 * How ComfyUI hands a schedule to dpm_fast and dpm_adaptive: only its ends, the first sigma and the
 * last one (or the one before it when the last is 0), both of which must be above 0.
 */
record SolverRange(float sigmaMin, float sigmaMax) {

    SolverRange {
        if (!(sigmaMin > 0f) || !(sigmaMax > 0f)) {
            throw new IllegalArgumentException("sigma range: [" + sigmaMin + ", " + sigmaMax
                    + "] (expected: both ends above 0)");
        }
    }

    /** The ends of a schedule of at least one step. */
    static SolverRange of(float[] sigmas) {
        float last = sigmas[sigmas.length - 1];
        return new SolverRange(last == 0f ? sigmas[sigmas.length - 2] : last, sigmas[0]);
    }
}
