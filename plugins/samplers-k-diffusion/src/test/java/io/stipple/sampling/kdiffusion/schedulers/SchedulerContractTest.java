package io.stipple.sampling.kdiffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Scheduler;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.GoldenModelSampling;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every registered scheduler promises, for the step counts a user asks for. */
class SchedulerContractTest {
    private static final int[] STEP_COUNTS = {1, 2, 3, 6, 20, 50, 150};

    static List<Scheduler> schedulers() {
        return Extensions.schedulers();
    }

    @Test
    void registersComfyUisSchedulerNames() {
        Set<String> names = schedulers().stream().map(Scheduler::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("simple", "sgm_uniform", "karras", "exponential", "ddim_uniform", "beta",
                "normal", "linear_quadratic", "kl_optimal")), names);
        assertEquals(names.size(), schedulers().size(), "a scheduler name is registered twice");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void givesADescendingScheduleEndingInZero(Scheduler scheduler) {
        ModelSampling modelSampling = GoldenModelSampling.get();
        for (int steps : STEP_COUNTS) {
            float[] sigmas = scheduler.sigmas(modelSampling, steps);
            String what = scheduler.name() + " " + steps + " steps " + Arrays.toString(sigmas);
            if (scheduler.name().equals("beta")) {
                // quantiles that round to the same timestep are kept once (150 steps lose some)
                assertTrue(sigmas.length >= 2 && sigmas.length <= steps + 1, what);
            } else {
                assertEquals(expectedLength(scheduler.name(), steps), sigmas.length, what);
            }
            assertEquals(0f, sigmas[sigmas.length - 1], what);
            for (int i = 0; i < sigmas.length - 1; i++) {
                assertTrue(Float.isFinite(sigmas[i]) && sigmas[i] > sigmas[i + 1], what + ": not descending at " + i);
            }
            // karras's float32 power lands 2 ulp above sigma_max, as in ComfyUI
            assertTrue(sigmas[0] <= modelSampling.sigmaMax() * (1 + 1e-6), what + ": starts above sigma_max");
        }
    }

    /** steps+1, except where ComfyUI's scheduler gives another count (and Stipple keeps it). */
    private static int expectedLength(String name, int steps) {
        return switch (name) {
            // every (1000 / steps)-th timestep counted up from 1, plus the final 0
            case "ddim_uniform" -> (999 + 1000 / steps - 1) / (1000 / steps) + 1;
            default -> steps + 1;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void refusesStepCountsBelowOne(Scheduler scheduler) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scheduler.sigmas(GoldenModelSampling.get(), 0));
        assertEquals("steps: 0 (expected: at least 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scheduler.sigmas(GoldenModelSampling.get(), -3));
        assertThrows(NullPointerException.class, () -> scheduler.sigmas(null, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void isDeterministic(Scheduler scheduler) {
        float[] first = scheduler.sigmas(GoldenModelSampling.get(), 20);
        float[] second = scheduler.sigmas(GoldenModelSampling.get(), 20);
        assertTrue(Arrays.equals(first, second), scheduler.name());
    }
}
