package io.stipple.sampling.kdiffusion.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingCancelledException;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.GaussianToyDenoiser;
import io.stipple.sampling.kdiffusion.testing.GoldenModelSampling;
import io.stipple.sampling.kdiffusion.testing.KSamplerSchedule;
import io.stipple.sampling.kdiffusion.testing.RecordingContext;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.random.TorchGenerator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every registered sampler promises: shape, determinism, one callback per step, cancellation. */
class SamplerContractTest {
    private static final int[] SHAPE = {1, 4, 8, 8};
    private static final int STEPS = 6;
    private static final Set<String> STOCHASTIC = Set.of("euler_ancestral", "dpm_2_ancestral", "dpmpp_2s_ancestral",
            "dpmpp_sde", "dpmpp_2m_sde", "dpmpp_3m_sde", "ddpm", "lcm");

    static List<Sampler> samplers() {
        return Extensions.samplers();
    }

    @Test
    void registersComfyUisSamplerNames() {
        Set<String> names = samplers().stream().map(Sampler::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("euler", "euler_ancestral", "heun", "heunpp2", "dpm_2", "dpm_2_ancestral",
                "lms", "dpm_fast", "dpm_adaptive", "dpmpp_2s_ancestral", "dpmpp_sde", "dpmpp_2m", "dpmpp_2m_sde",
                "dpmpp_3m_sde", "ddpm", "lcm", "ipndm", "ipndm_v", "deis", "ddim", "uni_pc", "uni_pc_bh2")), names);
        assertEquals(names.size(), samplers().size(), "a sampler name is registered twice");
    }

    @Test
    void discardsThePenultimateSigmaWhereComfyUiDoes() {
        Set<String> discarding = samplers().stream().filter(Sampler::discardsPenultimateSigma).map(Sampler::name)
                .collect(Collectors.toSet());
        assertEquals(Set.of("dpm_2", "dpm_2_ancestral", "uni_pc", "uni_pc_bh2"), discarding);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void isDeterministicForASeedAndKeepsTheShape(Sampler sampler) {
        float[] sigmas = schedule(sampler);
        Tensor x = start();
        float[] before = x.toArray();
        RecordingContext first = new RecordingContext(7);
        float[] a = sampler.sample(denoiser(), x, sigmas, first).toArray();
        RecordingContext second = new RecordingContext(7);
        Tensor result = sampler.sample(denoiser(), x, sigmas, second);

        assertEquals(Shape.of(SHAPE), result.shape(), sampler.name());
        assertArrayEquals(a, result.toArray(), sampler.name() + " differs between two runs with one seed");
        assertArrayEquals(before, x.toArray(), sampler.name() + " changed its input");
        for (float v : a) {
            assertTrue(Float.isFinite(v), sampler.name() + " produced " + v);
        }
        float[] other = sampler.sample(denoiser(), x, sigmas, new RecordingContext(8)).toArray();
        boolean differs = !java.util.Arrays.equals(a, other);
        assertEquals(STOCHASTIC.contains(sampler.name()), differs,
                sampler.name() + (differs ? " depends on the seed" : " ignores the seed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void reportsEachStepOnceInOrder(Sampler sampler) {
        float[] sigmas = schedule(sampler);
        RecordingContext context = new RecordingContext(7);
        sampler.sample(denoiser(), start(), sigmas, context);
        List<RecordingContext.Step> steps = context.steps();
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i, steps.get(i).index(), sampler.name() + " callback order");
            assertEquals(64 * 4, steps.get(i).x().length, sampler.name());
            assertEquals(64 * 4, steps.get(i).denoised().length, sampler.name());
        }
        switch (sampler.name()) {
            // DPM-Solver-Fast spends the schedule's model calls on fewer, higher-order steps
            case "dpm_fast" -> assertEquals((sigmas.length - 1) / 3 + 1, steps.size(), sampler.name());
            // adaptive: one callback per attempted step, however many it takes
            case "dpm_adaptive" -> assertFalse(steps.isEmpty(), sampler.name());
            default -> assertEquals(sigmas.length - 1, steps.size(), sampler.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void letsCancellationThrough(Sampler sampler) {
        RecordingContext context = new RecordingContext(7, 1);
        GaussianToyDenoiser model = denoiser();
        SamplingCancelledException e = assertThrows(SamplingCancelledException.class,
                () -> sampler.sample(model, start(), schedule(sampler), context));
        assertEquals("cancelled at step 1", e.getMessage());
        assertEquals(2, context.steps().size(), sampler.name() + " went on after the cancellation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void returnsItsInputForAScheduleWithoutSteps(Sampler sampler) {
        Tensor x = start();
        RecordingContext context = new RecordingContext(7);
        Tensor result = sampler.sample(denoiser(), x, new float[] {14.6f}, context);
        assertArrayEquals(x.toArray(), result.toArray(), sampler.name());
        assertTrue(context.steps().isEmpty(), sampler.name());
    }

    private static float[] schedule(Sampler sampler) {
        return KSamplerSchedule.sigmas(Extensions.scheduler("karras"), sampler, GoldenModelSampling.get(), STEPS, 1.0);
    }

    private static Tensor start() {
        float[] noise = new TorchGenerator(3).randn(SHAPE);
        float scale = (float) Math.sqrt(1 + 14.614641f * 14.614641f);
        for (int i = 0; i < noise.length; i++) {
            noise[i] *= scale;
        }
        return RecordingContext.cpu().fromArray(noise, Shape.of(SHAPE));
    }

    private static GaussianToyDenoiser denoiser() {
        return new GaussianToyDenoiser(RecordingContext.cpu().full(Shape.of(SHAPE), 0.25f), 0.5f);
    }
}
