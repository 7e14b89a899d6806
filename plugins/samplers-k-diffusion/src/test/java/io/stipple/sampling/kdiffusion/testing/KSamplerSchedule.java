package io.stipple.sampling.kdiffusion.testing;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.util.Arrays;

/**
 * What ComfyUI's {@code KSampler.set_steps} does around a scheduler (the engine's job in
 * production): one step more with the penultimate sigma dropped for samplers that ask for it, and
 * for denoise below 1 the last steps+1 sigmas of an int(steps/denoise)-step schedule.
 */
public final class KSamplerSchedule {
    private KSamplerSchedule() {}

    public static float[] sigmas(Scheduler scheduler, boolean discardPenultimate, ModelSampling modelSampling,
            int steps, double denoise) {
        if (denoise > 0.9999) {
            return full(scheduler, discardPenultimate, modelSampling, steps);
        }
        float[] all = full(scheduler, discardPenultimate, modelSampling, (int) (steps / denoise));
        return Arrays.copyOfRange(all, Math.max(0, all.length - (steps + 1)), all.length);
    }

    public static float[] sigmas(Scheduler scheduler, Sampler sampler, ModelSampling modelSampling, int steps, double denoise) {
        return sigmas(scheduler, sampler.discardsPenultimateSigma(), modelSampling, steps, denoise);
    }

    private static float[] full(Scheduler scheduler, boolean discardPenultimate, ModelSampling modelSampling, int steps) {
        if (!discardPenultimate) {
            return scheduler.sigmas(modelSampling, steps);
        }
        float[] longer = scheduler.sigmas(modelSampling, steps + 1);
        float[] out = Arrays.copyOf(longer, longer.length - 1);
        out[out.length - 1] = longer[longer.length - 1];
        return out;
    }
}
