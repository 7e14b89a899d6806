package io.stipple.sampling.kdiffusion.samplers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.Sampler;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.KSamplerRun;
import io.stipple.sampling.kdiffusion.testing.RecordingContext;
import io.stipple.sampling.kdiffusion.testing.ReplayDenoiser;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.testing.TensorAssert;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sampler arithmetic of every golden run whose sampler calls the model once per step, checked
 * step by step without the UNet: the model is replaced by ComfyUI's recorded denoised estimates,
 * and each model input, each callback and the final latent must match the recording.
 */
class ReplayGoldenTest {
    /** Samplers whose model input at step i is the state their callback reports. */
    private static final Set<String> CALLBACK_STATE_IS_MODEL_INPUT = Set.of("euler", "ddim", "euler_ancestral",
            "dpmpp_2m", "dpmpp_2m_sde", "lcm");
    /** Samplers that call the model once per step. */
    private static final Set<String> ONE_CALL_PER_STEP = Set.of("euler", "ddim", "euler_ancestral", "dpmpp_2m",
            "dpmpp_2m_sde", "lcm", "uni_pc");

    static List<KSamplerRun> runs() {
        return KSamplerRun.all().stream().filter(r -> ONE_CALL_PER_STEP.contains(r.sampler())).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void replaysComfyUiStepByStep(KSamplerRun run) {
        Sampler sampler = Extensions.sampler(run.sampler());
        boolean inputsRecorded = CALLBACK_STATE_IS_MODEL_INPUT.contains(run.sampler());
        ReplayDenoiser model = new ReplayDenoiser(run.stepDenoised(), inputsRecorded ? run.stepX() : null,
                inputsRecorded ? run.sigmas() : null, run.shape());
        RecordingContext context = new RecordingContext(KSamplerRun.SEED);
        Tensor x = RecordingContext.cpu().fromArray(run.initialX(), Shape.of(run.shape()));

        Tensor result = sampler.sample(model, x, run.sigmas(), context);

        assertEquals(run.stepX().size(), model.calls(), run + ": model calls");
        assertTrue(model.worstInputDifference() <= 1e-5, run + ": a model input differs from ComfyUI's by "
                + model.worstInputDifference() + " of its largest value");
        assertEquals(0.0, model.worstSigmaDifference(), run + ": a model sigma differs from ComfyUI's");
        List<RecordingContext.Step> steps = context.steps();
        assertEquals(run.stepX().size(), steps.size(), run + ": step callbacks");
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(i, steps.get(i).index(), run + ": callback index");
            TensorAssert.assertCloseRelative(run + " step " + i + " x", run.stepX().get(i), steps.get(i).x(), 1e-5);
            TensorAssert.assertCloseRelative(run + " step " + i + " denoised", run.stepDenoised().get(i),
                    steps.get(i).denoised(), 1e-6);
        }
        float[] samples = run.finalModelLatentFrom(result.toArray());
        TensorAssert.assertCloseRelative(run + " samples", run.samples(), samples, 1e-5);
    }
}
