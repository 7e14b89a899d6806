package io.stipple.sampling.kdiffusion.schedulers;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.sampling.kdiffusion.math.TorchLinspace;

/**
 * ComfyUI's {@code normal_scheduler}: timesteps evenly spaced (float32, as torch.linspace) from the
 * model's largest sigma to its smallest, each mapped back to a sigma by the model. "normal" includes
 * the end point and appends 0; "sgm_uniform" spaces steps+1 points and drops the last.
 */
final class NormalSchedule {
    private NormalSchedule() {}

    static float[] compute(ModelSampling modelSampling, int steps, boolean sgm) {
        ScheduleInputs.check(modelSampling, steps);
        float start = modelSampling.timestep(modelSampling.sigmaMax());
        float end = modelSampling.timestep(modelSampling.sigmaMin());
        boolean appendZero = true;
        float[] timesteps;
        if (sgm) {
            timesteps = TorchLinspace.of(start, end, steps + 1);
            timesteps = java.util.Arrays.copyOf(timesteps, steps);
        } else {
            int count = steps;
            // a model whose smallest sigma is already 0 gets that 0 as its last step instead
            if (Math.abs(modelSampling.sigma(end)) <= 1e-5) {
                count++;
                appendZero = false;
            }
            timesteps = TorchLinspace.of(start, end, count);
        }
        float[] sigmas = new float[timesteps.length + (appendZero ? 1 : 0)];
        for (int i = 0; i < timesteps.length; i++) {
            sigmas[i] = modelSampling.sigma(timesteps[i]);
        }
        return sigmas;
    }
}
