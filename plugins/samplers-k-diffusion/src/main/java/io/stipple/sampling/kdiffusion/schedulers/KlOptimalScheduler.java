package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import io.stipple.sampling.kdiffusion.math.F32;
import org.pf4j.Extension;

/**
 * ComfyUI's "kl_optimal" (AUTOMATIC1111 PR 15608): evenly spaced in arctan σ. ComfyUI divides by
 * {@code steps − 1} and so gives NaN for a single step; Stipple gives that step the value every
 * longer schedule starts with, {@code tan(atan(σ_max))}.
 */
@Extension
public final class KlOptimalScheduler implements Scheduler {

    @Override
    public String name() {
        return "kl_optimal";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        float atanMin = (float) Math.atan(modelSampling.sigmaMin());
        float atanMax = (float) Math.atan(modelSampling.sigmaMax());
        float[] sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            float fraction = steps == 1 ? 0f : (float) i / (float) (steps - 1);
            sigmas[i] = F32.tan(fraction * atanMin + (1f - fraction) * atanMax);
        }
        return sigmas;
    }
}
