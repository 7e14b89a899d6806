package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import org.pf4j.Extension;

/**
 * ComfyUI's "linear_quadratic" (from Genmo's Mochi): the first half of the steps removes noise
 * linearly up to a threshold of 0.025, the second half quadratically, as fractions of the model's
 * largest sigma.
 */
@Extension
public final class LinearQuadraticScheduler implements Scheduler {
    private static final double THRESHOLD_NOISE = 0.025;

    @Override
    public String name() {
        return "linear_quadratic";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        double[] schedule = new double[steps + 1];
        if (steps == 1) {
            schedule[0] = 1.0;
        } else {
            int linearSteps = steps / 2;
            for (int i = 0; i < linearSteps; i++) {
                schedule[i] = 1.0 - i * THRESHOLD_NOISE / linearSteps;
            }
            double thresholdStepDiff = linearSteps - THRESHOLD_NOISE * steps;
            int quadraticSteps = steps - linearSteps;
            double quadraticCoef = thresholdStepDiff / (linearSteps * quadraticSteps * quadraticSteps);
            double linearCoef = THRESHOLD_NOISE / linearSteps - 2 * thresholdStepDiff / (quadraticSteps * quadraticSteps);
            double constant = quadraticCoef * (linearSteps * linearSteps);
            for (int i = linearSteps; i < steps; i++) {
                schedule[i] = 1.0 - (quadraticCoef * ((double) i * i) + linearCoef * i + constant);
            }
        }
        // the schedule becomes a float32 tensor, then scales by the float32 sigma_max
        float sigmaMax = modelSampling.sigmaMax();
        float[] sigmas = new float[steps + 1];
        for (int i = 0; i <= steps; i++) {
            sigmas[i] = (float) schedule[i] * sigmaMax;
        }
        return sigmas;
    }
}
