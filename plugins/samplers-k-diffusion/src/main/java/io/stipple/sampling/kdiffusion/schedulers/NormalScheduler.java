package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import org.pf4j.Extension;

/** ComfyUI's "normal": timesteps evenly spaced from the top of the model's table to the bottom. */
@Extension
public final class NormalScheduler implements Scheduler {

    @Override
    public String name() {
        return "normal";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        return NormalSchedule.compute(modelSampling, steps, false);
    }
}
