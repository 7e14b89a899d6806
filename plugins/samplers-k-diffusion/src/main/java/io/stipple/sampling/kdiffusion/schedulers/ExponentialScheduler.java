package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.sampling.kdiffusion.math.TorchLinspace;
import org.pf4j.Extension;

/** k-diffusion's {@code get_sigmas_exponential}: evenly spaced in log σ. */
@Extension
public final class ExponentialScheduler implements Scheduler {

    @Override
    public String name() {
        return "exponential";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        float[] logSigmas = TorchLinspace.of(Math.log(modelSampling.sigmaMax()), Math.log(modelSampling.sigmaMin()), steps);
        float[] sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = F32.exp(logSigmas[i]);
        }
        return sigmas;
    }
}
