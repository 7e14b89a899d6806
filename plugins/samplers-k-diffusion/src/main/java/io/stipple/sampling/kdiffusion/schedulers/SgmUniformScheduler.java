package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import org.pf4j.Extension;

/** ComfyUI's "sgm_uniform": like "normal" but never visiting the model's smallest timestep. */
@Extension
public final class SgmUniformScheduler implements Scheduler {

    @Override
    public String name() {
        return "sgm_uniform";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        return NormalSchedule.compute(modelSampling, steps, true);
    }
}
