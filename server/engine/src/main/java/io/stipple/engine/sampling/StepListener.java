package io.stipple.engine.sampling;

import io.stipple.tensor.Tensor;

/** Told about each finished sampler step; may throw to stop the job (cancellation). */
@FunctionalInterface
public interface StepListener {

    /**
     * @param step steps done, from 1
     * @param total steps in the schedule
     * @param denoised this step's clean-latent estimate, in model space (for previews)
     */
    void onStep(int step, int total, float sigma, Tensor x, Tensor denoised);

    StepListener NONE = (step, total, sigma, x, denoised) -> {};
}
