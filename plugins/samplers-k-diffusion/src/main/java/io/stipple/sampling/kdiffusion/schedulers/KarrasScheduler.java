package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.sampling.kdiffusion.math.TorchLinspace;
import org.pf4j.Extension;

/**
 * The schedule of Karras et al. (2022) (k-diffusion's {@code get_sigmas_karras}, ρ = 7): evenly
 * spaced in σ^(1/ρ) between the model's largest and smallest sigma.
 */
@Extension
public final class KarrasScheduler implements Scheduler {
    private static final double RHO = 7.0;

    @Override
    public String name() {
        return "karras";
    }

    @Override
    public float[] sigmas(ModelSampling modelSampling, int steps) {
        ScheduleInputs.check(modelSampling, steps);
        double minInvRho = Math.pow(modelSampling.sigmaMin(), 1.0 / RHO);
        double maxInvRho = Math.pow(modelSampling.sigmaMax(), 1.0 / RHO);
        // Python floats meet a float32 tensor: each is rounded to float32 at its operation
        float span = (float) (minInvRho - maxInvRho);
        float top = (float) maxInvRho;
        float[] ramp = TorchLinspace.of(0.0, 1.0, steps);
        float[] sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = F32.pow(top + ramp[i] * span, RHO);
        }
        return sigmas;
    }
}
