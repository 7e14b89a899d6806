package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * k-diffusion's {@code sample_dpm_adaptive} as ComfyUI calls it (DPM-Solver-23, rtol 0.05,
 * atol 0.0078, h_init 0.05, PID coefficients 0/1/0, accept safety 0.81, eta 0): adaptive steps in
 * t = −log σ from the first sigma to the smallest non-zero one, embedded second- and third-order
 * solutions estimating the error. Only the ends of the schedule are used, so the result keeps the
 * noise of the smallest sigma, and the step callback runs once per attempted step.
 */
@Extension
public final class DpmAdaptiveSampler implements Sampler {
    private static final int ORDER = 3;
    private static final float RTOL = 0.05f;
    private static final float ATOL = 0.0078f;
    private static final double H_INIT = 0.05;
    private static final double ACCEPT_SAFETY = 0.81;

    @Override
    public String name() {
        return "dpm_adaptive";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        if (sigmas.length <= 1) {
            return x;
        }
        SolverRange range = SolverRange.of(sigmas);
        float tStart = DpmSolver.t(range.sigmaMax());
        float tEnd = DpmSolver.t(range.sigmaMin());
        boolean forward = tEnd > tStart;
        double hInit = Math.abs(H_INIT) * (forward ? 1 : -1);
        DpmSolver solver = new DpmSolver(denoiser);
        PidStepSizeController pid = new PidStepSizeController(hInit, 0.0, 1.0, 0.0, ORDER, ACCEPT_SAFETY);
        float s = tStart;
        Tensor xPrev = x;
        int attempts = 0;
        while (forward ? s < tEnd - 1e-5f : s > tEnd + 1e-5f) {
            DpmSolver.Evaluations cache = new DpmSolver.Evaluations();
            float proposal = s + (float) pid.h();
            float t = forward ? Math.min(tEnd, proposal) : Math.max(tEnd, proposal);
            Tensor denoised = solver.denoised(cache, x, s);
            Tensor low = solver.step2(x, s, t, 1.0 / 3.0, cache);
            Tensor high = solver.step3(x, s, t, 1.0 / 3.0, 2.0 / 3.0, cache);
            double error = scaledError(low, high, xPrev);
            if (Double.isNaN(error)) {
                // k-diffusion would shrink the step to NaN and never finish
                throw new IllegalStateException("dpm_adaptive: error estimate is NaN at sigma " + DpmSolver.sigma(s)
                        + " (expected: a finite denoiser output)");
            }
            if (pid.proposeStep(error)) {
                xPrev = low;
                x = high;
                s = t;
            }
            context.step(attempts++, x, denoised, DpmSolver.sigma(s));
        }
        return x;
    }

    /** ‖(low − high) / max(atol, rtol·max(|low|, |previous|))‖₂ / √n, as float32 as torch gives it, on the backend. */
    private static double scaledError(Tensor low, Tensor high, Tensor previous) {
        return low.ops().scaledErrorNorm(low, high, previous, ATOL, RTOL);
    }
}
