package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import org.pf4j.Extension;

/**
 * ComfyUI's "ddim_uniform": every {@code 1000 / steps}-th entry of the sigma table counted up from
 * timestep 1, then reversed. As in ComfyUI the count is {@code ceil(999 / stride)}, so the schedule
 * usually has a step or two more than asked (6 steps give 7), and a single step gives
 * {@code [sigma(1), 0]}.
 */
@Extension
public final class DdimUniformScheduler implements Scheduler {

    @Override
    public String name() {
        return "ddim_uniform";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        float[] table = ScheduleInputs.table(modelSampling);
        int count = steps;
        boolean appendZero = true;
        // a table that starts at (almost) 0 ends the schedule itself
        if (Math.abs(table[1]) <= 1e-5) {
            count++;
            appendZero = false;
        }
        int stride = Math.max(table.length / count, 1);
        int visited = (table.length - 1 + stride - 1) / stride;
        float[] sigmas = new float[visited + (appendZero ? 1 : 0)];
        for (int k = 0; k < visited; k++) {
            sigmas[visited - 1 - k] = table[1 + k * stride];
        }
        return sigmas;
    }
}
