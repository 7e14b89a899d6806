package io.stipple.engine.sampling;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.util.Arrays;

/**
 * The sigmas a KSampler visits (ComfyUI's KSampler.set_steps / calculate_sigmas): the scheduler's
 * schedule, one step longer with the penultimate sigma dropped for the samplers that ask for it,
 * and for denoise below 1 the last {@code steps + 1} sigmas of an {@code int(steps / denoise)}-step
 * schedule.
 */
public final class SigmaSchedule {
    private SigmaSchedule() {}

    public static float[] sigmas(Scheduler scheduler, Sampler sampler, ModelSampling modelSampling, int steps, double denoise) {
        if (denoise > 0.9999) {
            return full(scheduler, sampler, modelSampling, steps);
        }
        if (denoise <= 0) {
            return new float[0];
        }
        int newSteps = (int) (steps / denoise);
        float[] all = full(scheduler, sampler, modelSampling, newSteps);
        int keep = Math.min(all.length, steps + 1);
        return Arrays.copyOfRange(all, all.length - keep, all.length);
    }

    private static float[] full(Scheduler scheduler, Sampler sampler, ModelSampling modelSampling, int steps) {
        if (!sampler.discardsPenultimateSigma()) {
            return scheduler.sigmas(modelSampling, steps);
        }
        float[] s = scheduler.sigmas(modelSampling, steps + 1);
        if (s.length < 2) {
            return s;
        }
        float[] out = Arrays.copyOf(s, s.length - 1);
        out[out.length - 1] = s[s.length - 1];
        return out;
    }
}
