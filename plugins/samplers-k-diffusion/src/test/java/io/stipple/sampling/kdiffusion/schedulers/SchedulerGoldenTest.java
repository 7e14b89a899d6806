package io.stipple.sampling.kdiffusion.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.stipple.plugin.api.Sampler;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.GoldenModelSampling;
import io.stipple.sampling.kdiffusion.testing.KSamplerRun;
import io.stipple.sampling.kdiffusion.testing.KSamplerSchedule;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden KSampler run's sigmas, from our scheduler as ComfyUI's KSampler calls it, to 1 ulp. */
class SchedulerGoldenTest {

    static List<KSamplerRun> runs() {
        return KSamplerRun.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void sigmasMatchComfyUi(KSamplerRun run) {
        Sampler sampler = Extensions.sampler(run.sampler());
        float[] actual = KSamplerSchedule.sigmas(Extensions.scheduler(run.scheduler()), sampler,
                GoldenModelSampling.get(), run.steps(), run.denoise());
        assertWithinUlps(run.name(), run.sigmas(), actual, 1);
    }

    static void assertWithinUlps(String what, float[] expected, float[] actual, int ulps) {
        assertEquals(expected.length, actual.length, () -> what + ": " + actual.length + " sigmas (expected "
                + expected.length + ")\n  expected " + Arrays.toString(expected) + "\n  actual   " + Arrays.toString(actual));
        for (int i = 0; i < expected.length; i++) {
            float allowed = ulps * Math.ulp(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= allowed)) {
                fail(what + ": sigma[" + i + "] = " + actual[i] + " (expected " + expected[i] + " within " + ulps
                        + " ulp)\n  expected " + Arrays.toString(expected) + "\n  actual   " + Arrays.toString(actual));
            }
        }
    }
}
