package io.stipple.sampling.kdiffusion.samplers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.Sampler;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.GaussianToyDenoiser;
import io.stipple.sampling.kdiffusion.testing.GoldenModelSampling;
import io.stipple.sampling.kdiffusion.testing.KSamplerSchedule;
import io.stipple.sampling.kdiffusion.testing.RecordingContext;
import io.stipple.tensor.Shape;
import io.stipple.tensor.random.TorchGenerator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sampler on data distributed N(m, s²) per element, whose exact denoiser is known
 * ({@link GaussianToyDenoiser}). The deterministic samplers must follow the probability-flow ODE,
 * whose solution is m + (x_T − m)·√(σ² + s²)/√(σ_T² + s²), and converge to it as the steps grow;
 * the stochastic ones must end with samples of mean m and standard deviation s.
 */
class SamplerConvergenceTest {
    private static final int[] SHAPE = {1, 4, 32, 32};
    private static final float STD = 0.5f;
    private static final Set<String> STOCHASTIC = Set.of("euler_ancestral", "dpm_2_ancestral", "dpmpp_2s_ancestral",
            "dpmpp_sde", "dpmpp_2m_sde", "dpmpp_3m_sde", "ddpm");
    /** Samplers that stop at the smallest non-zero sigma instead of jumping to the denoised estimate. */
    private static final Set<String> END_AT_SIGMA_MIN = Set.of("dpm_fast", "dpm_adaptive");
    /** UniPC ends with a first-order (DDIM) step from the last sigma to σ = 0.001. */
    private static final Set<String> END_AT_MILLI_SIGMA = Set.of("uni_pc", "uni_pc_bh2");

    static List<Sampler> samplers() {
        return Extensions.samplers();
    }

    static List<Sampler> deterministic() {
        return samplers().stream().filter(s -> !STOCHASTIC.contains(s.name()) && !s.name().equals("lcm")).toList();
    }

    static List<Sampler> stochastic() {
        return samplers().stream().filter(s -> STOCHASTIC.contains(s.name())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deterministic")
    void followsTheProbabilityFlowOde(Sampler sampler) {
        double coarse = odeError(sampler, 20);
        double fine = odeError(sampler, 100);
        assertTrue(coarse < 0.1, sampler.name() + ": 20 steps end " + coarse + " of |x − m| off the ODE solution");
        if (!sampler.name().equals("dpm_adaptive")) {
            // first order gains 5× from 20 to 100 steps, higher orders far more
            assertTrue(fine < coarse / 4, sampler.name() + ": 100 steps are off by " + fine + ", 20 by " + coarse
                    + " (expected: at least 4 times closer)");
        } else {
            // its own tolerances decide: rtol 0.05
            assertTrue(fine < 0.05, sampler.name() + ": off by " + fine);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stochastic")
    void samplesTheDataDistribution(Sampler sampler) {
        Run run = run(sampler, 100);
        double[] stats = statistics(run.result(), run.mean());
        assertTrue(Math.abs(stats[0]) < 0.02, sampler.name() + ": the samples' mean is off m by " + stats[0]);
        assertTrue(Math.abs(stats[1] - STD) < 0.05 * STD, sampler.name() + ": the samples' std is " + stats[1]
                + " (expected " + STD + " within 5%)");
    }

    /**
     * LCM jumps to the denoised estimate and re-noises it, which for a plain denoiser loses variance
     * at every step: var(x') = var(x)·(s²/(σ²+s²))² + σ'². Its samples must have that spread.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void lcmShrinksTheVarianceAsItsRecursionSays(Sampler sampler) {
        if (!sampler.name().equals("lcm")) {
            return;
        }
        Run run = run(sampler, 20);
        double variance = 1.0 + (double) run.sigmas()[0] * run.sigmas()[0];
        float[] sigmas = run.sigmas();
        for (int i = 0; i < sigmas.length - 1; i++) {
            double shrink = STD * STD / ((double) sigmas[i] * sigmas[i] + STD * STD);
            variance = variance * shrink * shrink + (double) sigmas[i + 1] * sigmas[i + 1];
        }
        double[] stats = statistics(run.result(), run.mean());
        double expected = Math.sqrt(variance);
        assertTrue(Math.abs(stats[1] - expected) < 0.05 * expected, "lcm: std " + stats[1] + " (expected " + expected + ")");
    }

    private record Run(float[] xT, float[] mean, float[] sigmas, float[] result) {}

    private static Run run(Sampler sampler, int steps) {
        Shape shape = Shape.of(SHAPE);
        float[] mean = new float[shape.size()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (0.3 * Math.sin(0.1 * i));
        }
        float[] sigmas = KSamplerSchedule.sigmas(Extensions.scheduler("karras"), sampler, GoldenModelSampling.get(), steps, 1.0);
        float sigmaT = sigmas[0];
        float[] xT = new TorchGenerator(11).randn(SHAPE);
        float scale = (float) Math.sqrt(1 + sigmaT * sigmaT);
        for (int i = 0; i < xT.length; i++) {
            xT[i] *= scale;
        }
        GaussianToyDenoiser model = new GaussianToyDenoiser(RecordingContext.cpu().fromArray(mean, shape), STD);
        float[] result = sampler.sample(model, RecordingContext.cpu().fromArray(xT, shape), sigmas,
                new RecordingContext(5)).toArray();
        return new Run(xT, mean, sigmas, result);
    }

    /** Largest distance from the exact solution, relative to the largest |expected − m|. */
    private static double odeError(Sampler sampler, int steps) {
        Run run = run(sampler, steps);
        float[] sigmas = run.sigmas();
        double s2 = (double) STD * STD;
        double sigmaT = sigmas[0];
        double factor;
        if (END_AT_SIGMA_MIN.contains(sampler.name())) {
            double end = sigmas[sigmas.length - 2];
            factor = Math.sqrt(end * end + s2) / Math.sqrt(sigmaT * sigmaT + s2);
        } else if (END_AT_MILLI_SIGMA.contains(sampler.name())) {
            double last = sigmas[sigmas.length - 2];
            double ratio = 0.001 / last;
            factor = Math.sqrt(last * last + s2) / Math.sqrt(sigmaT * sigmaT + s2)
                    * (ratio + (1 - ratio) * s2 / (last * last + s2));
        } else {
            // the ODE down to the last sigma, then the jump to its denoised estimate
            double last = sigmas[sigmas.length - 2];
            factor = Math.sqrt(last * last + s2) / Math.sqrt(sigmaT * sigmaT + s2) * s2 / (last * last + s2);
        }
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < run.result().length; i++) {
            double expected = run.mean()[i] + (run.xT()[i] - run.mean()[i]) * factor;
            worst = Math.max(worst, Math.abs(run.result()[i] - expected));
            largest = Math.max(largest, Math.abs(expected - run.mean()[i]));
        }
        return worst / largest;
    }

    /** Mean and standard deviation of x − m. */
    private static double[] statistics(float[] x, float[] mean) {
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean[i];
            sum += d;
            sumSquares += d * d;
        }
        double m = sum / x.length;
        return new double[] {m, Math.sqrt(sumSquares / x.length - m * m)};
    }
}
