package io.stipple.sampling.kdiffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.plugin.api.Scheduler;
import io.stipple.sampling.kdiffusion.math.F32;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.Fixtures;
import io.stipple.sampling.kdiffusion.testing.GoldenModelSampling;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schedules of 1, 2, 3, 20, 50 and 150 steps against torch 1.13 running ComfyUI's definitions
 * ({@code make_scheduler_fixture.py}; beta's quantiles from mpmath). To 1 ulp: from 16 elements on,
 * torch's vectorized exp, pow and tan (SLEEF) may round the other way.
 */
class SchedulerFixtureTest {
    private static final GoldenTensors FIXTURE = Fixtures.read("scheduler_fixture.safetensors");

    record Case(String scheduler, int steps) {
        @Override
        public String toString() {
            return scheduler + " " + steps;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String name : FIXTURE.names()) {
            String[] parts = name.split("/");
            if (!parts[0].equals("linspace") && !parts[0].equals("beta_ppf")) {
                cases.add(new Case(parts[0], Integer.parseInt(parts[1])));
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTorch(Case c) {
        Scheduler scheduler = Extensions.scheduler(c.scheduler());
        float[] actual = scheduler.sigmas(GoldenModelSampling.get(), c.steps());
        SchedulerGoldenTest.assertWithinUlps(c.toString(), FIXTURE.floats(c.scheduler() + "/" + c.steps()), actual, 1);
    }

    @Test
    void klOptimalGivesOneStepWhatLongerSchedulesStartWithWhereComfyUiGivesNaN() {
        float[] sigmas = Extensions.scheduler("kl_optimal").sigmas(GoldenModelSampling.get(), 1);
        float sigmaMax = GoldenModelSampling.get().sigmaMax();
        assertArrayEquals(new float[] {F32.tan((float) Math.atan(sigmaMax)), 0f}, sigmas);
        assertEquals(FIXTURE.floats("kl_optimal/2")[0], sigmas[0]);
        assertEquals(sigmaMax, sigmas[0], 1e-6 * sigmaMax);
    }
}
