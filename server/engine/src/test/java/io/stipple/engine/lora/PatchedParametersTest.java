package io.stipple.engine.lora;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.detect.ModelDetector;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The LoRA overlay: strengths per component, stacking, laziness and caching, the plain model at strength 0. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatchedParametersTest {
    private static final String UNET_KEY = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn1.to_q.weight";
    private static final String CLIP_KEY = "cond_stage_model.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight";
    private final Ops ops = new CpuOps();
    private LoraTesting model;
    private LoadedLora loraA;
    private LoadedLora loraB;

    @BeforeAll
    void open() {
        model = new LoraTesting("models/sd15_tiny.safetensors", ops);
        loraA = model.load("lora/lora_a.safetensors");
        loraB = model.load("lora/lora_b.safetensors");
    }

    @AfterAll
    void close() {
        model.close();
    }

    @Test
    void aReplacedWeightIsReplacedAtStrengthZeroUnlessBothStrengthsAreZero() {
        // full_diff: .set_weight on a UNet LayerNorm, .diff on other UNet weights and a text encoder weight
        try (LoadedLora fullDiff = model.load("lora_formats/full_diff.safetensors")) {
            String norm1 = "model.diffusion_model.input_blocks.1.1.transformer_blocks.0.norm1.weight";
            String projIn = "model.diffusion_model.input_blocks.1.1.proj_in.weight";
            var clipOnly = new PatchedParameters(model.params, List.of(new AppliedLora(fullDiff, 0.0, 0.5)));
            GoldenTensors g = Golden.tensors("lora_formats/data.safetensors");
            assertClose(norm1, g.floats("full_diff/unet/" + norm1.substring("model.".length())), clipOnly.get(norm1).toArray(), 0);
            assertFalse(clipOnly.isPatched(projIn));
            var neither = new PatchedParameters(model.params, List.of(new AppliedLora(fullDiff, 0.0, 0.0)));
            for (String key : fullDiff.patches().keySet()) {
                assertFalse(neither.isPatched(key), key);
            }
        }
    }

    @Test
    void strengthZeroIsThePlainModelsOwnTensors() {
        var patched = new PatchedParameters(model.params, List.of(new AppliedLora(loraA, 0.0, 0.0)));
        for (String key : loraA.patches().keySet()) {
            assertFalse(patched.isPatched(key), key);
            assertSame(model.params.get(key), patched.get(key), key);
        }
    }

    @Test
    void eachComponentTakesItsOwnStrength() {
        var patched = new PatchedParameters(model.params, List.of(new AppliedLora(loraA, 0.0, 1.0)));
        assertSame(model.params.get(UNET_KEY), patched.get(UNET_KEY));
        // the golden "single" case has strength_clip 1.0
        GoldenTensors g = Golden.tensors("lora/data.safetensors");
        assertCloseRelative("clip at 1.0", g.floats("single/clip/clip_l.transformer.text_model.encoder.layers.0.self_attn.q_proj.weight"),
                patched.get(CLIP_KEY).toArray(), 1e-6);
    }

    @Test
    void twoStackedLorasGiveTheSumOfTheirPatches() {
        float[] base = model.params.get(UNET_KEY).toArray();
        float[] a = new PatchedParameters(model.params, List.of(new AppliedLora(loraA, 0.5, 0.5))).get(UNET_KEY).toArray();
        float[] b = new PatchedParameters(model.params, List.of(new AppliedLora(loraB, 0.5, 0.5))).get(UNET_KEY).toArray();
        float[] both = new PatchedParameters(model.params, List.of(new AppliedLora(loraA, 0.5, 0.5), new AppliedLora(loraB, 0.5, 0.5)))
                .get(UNET_KEY).toArray();
        float[] sum = new float[base.length];
        double largestPatch = 0;
        for (int i = 0; i < base.length; i++) {
            sum[i] = base[i] + (a[i] - base[i]) + (b[i] - base[i]);
            largestPatch = Math.max(largestPatch, Math.abs(a[i] - base[i]) + Math.abs(b[i] - base[i]));
        }
        assertTrue(largestPatch > 0.01, "the LoRAs change the weight: " + largestPatch);
        assertClose("W + ΔA + ΔB", sum, both, 1e-6);
    }

    @Test
    void weightsAreComputedOnceFromTheBaseAndReplacingLorasReadsNoCheckpointAgain() {
        CountingSource counting = new CountingSource(model.params);
        var withA = new PatchedParameters(counting, List.of(new AppliedLora(loraA, 0.8, 1.0)));
        assertEquals(0, counting.reads(UNET_KEY), "nothing is computed before it is read");
        Tensor first = withA.get(UNET_KEY);
        assertSame(first, withA.get(UNET_KEY));
        assertEquals(1, counting.reads(UNET_KEY));
        Tensor resident = model.params.get(UNET_KEY);
        var withB = new PatchedParameters(counting, List.of(new AppliedLora(loraB, 0.8, 1.0)));
        Tensor other = withB.get(UNET_KEY);
        assertNotSame(first, other);
        assertEquals(2, counting.reads(UNET_KEY));
        assertSame(resident, model.params.get(UNET_KEY), "the checkpoint's resident weight is untouched and not reloaded");
        withA.dropPatched();
        assertNotSame(first, withA.get(UNET_KEY));
    }

    @Test
    void theOverlayReadsAsTheModelItPatches() {
        var patched = new PatchedParameters(model.params, List.of(new AppliedLora(loraA, 0.8, 1.0)));
        assertEquals(model.params.keys(), patched.keys());
        TensorInfo info = patched.info(UNET_KEY).orElseThrow();
        assertEquals(DType.F32, info.dtype());
        assertEquals(model.params.info(UNET_KEY).orElseThrow().shape(), info.shape());
        assertEquals(model.architecture, ModelDetector.detect(patched));
        assertEquals(List.of(new AppliedLora(loraA, 0.8, 1.0)), patched.loras());
    }

    @Test
    void strengthsMustBeNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> new AppliedLora(loraA, Double.NaN, 1.0));
        assertTrue(e.getMessage().contains("lora_a.safetensors") && e.getMessage().contains("NaN"), e.getMessage());
    }

    /** Counts the reads of each weight from the base. */
    private static final class CountingSource implements ParameterSource {
        private final ParameterSource base;
        private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

        CountingSource(ParameterSource base) {
            this.base = base;
        }

        int reads(String key) {
            return reads.getOrDefault(key, new AtomicInteger()).get();
        }

        @Override
        public Optional<Tensor> find(String key) {
            reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            return base.find(key);
        }

        @Override
        public Optional<TensorInfo> info(String key) {
            return base.info(key);
        }

        @Override
        public List<String> keys() {
            return base.keys();
        }
    }
}
