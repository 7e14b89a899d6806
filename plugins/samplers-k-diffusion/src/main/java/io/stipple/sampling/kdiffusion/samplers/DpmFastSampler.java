package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.sampling.kdiffusion.math.TorchLinspace;
import io.stipple.tensor.Tensor;
import java.util.Arrays;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpm_fast} as ComfyUI calls it (DPM-Solver-Fast, eta 0): as many model
 * calls as the schedule has steps, spent on third-order steps evenly spaced in t = −log σ from the
 * first sigma to the smallest non-zero one. Only the first and smallest sigma are used, and the
 * step callback runs once per solver step, so fewer times than the schedule has steps.
 */
@Extension
public final class DpmFastSampler implements Sampler {

    @Override
    public String name() {
        return "dpm_fast";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length <= 1) {
            return x;
        }
        SolverRange range = SolverRange.of(sigmas);
        int evaluations = sigmas.length - 1;
        int outer = evaluations / 3 + 1;
        int[] orders = orders(evaluations, outer);
        float[] ts = TorchLinspace.of(DpmSolver.t(range.sigmaMax()), DpmSolver.t(range.sigmaMin()), outer + 1);
        DpmSolver solver = new DpmSolver(denoiser);
        for (int i = 0; i < orders.length; i++) {
            DpmSolver.Evaluations cache = new DpmSolver.Evaluations();
            float t = ts[i];
            float tNext = ts[i + 1];
            Tensor denoised = solver.denoised(cache, x, t);
            context.step(i, x, denoised, DpmSolver.sigma(t));
            x = switch (orders[i]) {
                case 1 -> solver.step1(x, t, tNext, cache);
                case 2 -> solver.step2(x, t, tNext, 0.5, cache);
                default -> solver.step3(x, t, tNext, 1.0 / 3.0, 2.0 / 3.0, cache);
            };
        }
        return x;
    }

    /** Third order while it fits, then what is left of the model calls. */
    private static int[] orders(int evaluations, int outer) {
        int[] orders = new int[outer];
        if (evaluations % 3 == 0) {
            Arrays.fill(orders, 0, outer - 2, 3);
            orders[outer - 2] = 2;
            orders[outer - 1] = 1;
        } else {
            Arrays.fill(orders, 0, outer - 1, 3);
            orders[outer - 1] = evaluations % 3;
        }
        return orders;
    }
}
