package io.stipple.sampling.kdiffusion.samplers;

/** How ComfyUI hands a schedule to dpm_fast and dpm_adaptive: only its ends. */
final class SolverRange {
    private SolverRange() {}

    /** The last sigma, or the one before it when the last is 0. */
    static float smallestSigma(float[] sigmas) {
        float last = sigmas[sigmas.length - 1];
        return last == 0f ? sigmas[sigmas.length - 2] : last;
    }

    static void check(float sigmaMin, float sigmaMax) {
        if (!(sigmaMin > 0f) || !(sigmaMax > 0f)) {
            throw new IllegalArgumentException("sigma range: [" + sigmaMin + ", " + sigmaMax
                    + "] (expected: both ends above 0)");
        }
    }
}
