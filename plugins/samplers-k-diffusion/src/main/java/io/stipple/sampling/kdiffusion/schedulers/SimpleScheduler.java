package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import org.pf4j.Extension;

/** ComfyUI's "simple": evenly strided entries of the model's sigma table, from the top. */
@Extension
public final class SimpleScheduler implements Scheduler {

    @Override
    public String name() {
        return "simple";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        float[] table = ScheduleInputs.table(modelSampling);
        double stride = table.length / (double) steps;
        float[] sigmas = new float[steps + 1];
        for (int x = 0; x < steps; x++) {
            sigmas[x] = table[table.length - 1 - (int) (x * stride)];
        }
        return sigmas;
    }
}
