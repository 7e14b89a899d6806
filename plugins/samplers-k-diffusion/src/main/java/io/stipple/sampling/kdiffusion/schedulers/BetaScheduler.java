package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import io.stipple.sampling.kdiffusion.math.IncompleteBeta;
import java.util.Arrays;
import org.pf4j.Extension;

/**
 * ComfyUI's "beta" (Lee et al. 2024, arXiv:2407.12173, α = β = 0.6): timesteps at the quantiles of
 * a Beta(α, β) distribution, rounded to the nearest integer timestep. Where two steps round to the
 * same timestep ComfyUI keeps one, so a schedule can have fewer than steps+1 sigmas.
 */
@Extension
public final class BetaScheduler implements Scheduler {
    private static final double ALPHA = 0.6;
    private static final double BETA = 0.6;

    @Override
    public String name() {
        return "beta";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        float[] table = ScheduleInputs.table(modelSampling);
        int lastTimestep = table.length - 1;
        // numpy.linspace(0, 1, steps, endpoint=False) multiplies by the step, it does not divide
        double spacing = 1.0 / steps;
        float[] sigmas = new float[steps + 1];
        int count = 0;
        double previous = -1;
        for (int i = 0; i < steps; i++) {
            double quantile = 1.0 - i * spacing;
            double timestep = Math.rint(IncompleteBeta.inverse(quantile, ALPHA, BETA) * lastTimestep);
            if (timestep != previous) {
                sigmas[count++] = table[(int) timestep];
            }
            previous = timestep;
        }
        return Arrays.copyOf(sigmas, count + 1);
    }
}
