package io.stipple.lora.lycoris;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LowRankAdapterTest {
    private static final String STEM = "lora_unet_mid_block_attentions_0_proj_in";
    private static final String WEIGHT = "model.diffusion_model.middle_block.1.proj_in.weight";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, WEIGHT);

    @Test
    void linearLoraAddsScaledProductOfUpAndDown() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 6, 3).random(STEM + ".lora_down.weight", 2, 3, 5)
                .put(STEM + ".alpha", new float[] {5f});
        WeightPatch patch = single(file);
        assertEquals(WEIGHT, patch.target().weight());
        assertEquals(Set.of(STEM + ".lora_up.weight", STEM + ".lora_down.weight", STEM + ".alpha"), patch.sourceKeys());
        float[] w = TestData.values(3, 30);
        Tensor out = patch.apply(ops.fromArray(w, Shape.of(6, 5)), 0.7);
        double[] delta = TestData.mm(file.values(STEM + ".lora_up.weight"), file.values(STEM + ".lora_down.weight"), 6, 3, 5);
        assertEquals(Shape.of(6, 5), out.shape());
        assertClose("patched", TestData.plus(w, delta, 0.7 * 5 / 3), out.toArray(), 1e-6);
    }

    @Test
    void alphaDefaultsToTheRank() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 4, 2).random(STEM + ".lora_down.weight", 2, 2, 4);
        float[] w = TestData.values(3, 16);
        Tensor out = single(file).apply(ops.fromArray(w, Shape.of(4, 4)), 1.0);
        double[] delta = TestData.mm(file.values(STEM + ".lora_up.weight"), file.values(STEM + ".lora_down.weight"), 4, 2, 4);
        assertClose("patched", TestData.plus(w, delta, 1.0), out.toArray(), 1e-6);
    }

    @Test
    void loconConvolutionFlattensTheKernels() {
        // down (r, in, 3, 3), up (out, r, 1, 1): ΔW (out, in·9) reshaped to (out, in, 3, 3)
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 4, 2, 1, 1)
                .random(STEM + ".lora_down.weight", 2, 2, 3, 3, 3).put(STEM + ".alpha", DType.F16, new float[] {1f});
        float[] w = TestData.values(3, 4 * 27);
        Tensor out = single(file).apply(ops.fromArray(w, Shape.of(4, 3, 3, 3)), 1.0);
        double[] delta = TestData.mm(file.values(STEM + ".lora_up.weight"), file.values(STEM + ".lora_down.weight"), 4, 2, 27);
        assertEquals(Shape.of(4, 3, 3, 3), out.shape());
        assertClose("patched", TestData.plus(w, delta, 0.5), out.toArray(), 1e-6);
    }

    @Test
    void tuckerMidRebuildsTheKernel() {
        // ΔW[o, c, k, l] = Σ_i Σ_j up[o, i] · mid[i, j, k, l] · down[j, c]
        int out = 3;
        int in = 2;
        int r = 2;
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, out, r, 1, 1)
                .random(STEM + ".lora_down.weight", 2, r, in, 1, 1).random(STEM + ".lora_mid.weight", 4, r, r, 3, 3);
        float[] up = file.values(STEM + ".lora_up.weight");
        float[] down = file.values(STEM + ".lora_down.weight");
        float[] mid = file.values(STEM + ".lora_mid.weight");
        double[] delta = new double[out * in * 9];
        for (int o = 0; o < out; o++) {
            for (int c = 0; c < in; c++) {
                for (int kl = 0; kl < 9; kl++) {
                    double s = 0;
                    for (int i = 0; i < r; i++) {
                        for (int j = 0; j < r; j++) {
                            s += (double) up[o * r + i] * mid[(i * r + j) * 9 + kl] * down[j * in + c];
                        }
                    }
                    delta[(o * in + c) * 9 + kl] = s;
                }
            }
        }
        float[] w = TestData.values(3, delta.length);
        WeightPatch patch = single(file);
        assertTrue(patch.sourceKeys().contains(STEM + ".lora_mid.weight"));
        Tensor result = patch.apply(ops.fromArray(w, Shape.of(out, in, 3, 3)), 0.25);
        assertClose("patched", TestData.plus(w, delta, 0.25), result.toArray(), 1e-6);
    }

    static Stream<LowRankAdapter.Spelling> spellings() {
        return LowRankAdapter.SPELLINGS.stream();
    }

    @ParameterizedTest
    @MethodSource("spellings")
    void everySpellingComfyUiAcceptsIsRead(LowRankAdapter.Spelling s) {
        var file = new MemoryTensorIndex().random(STEM + s.up(), 1, 4, 2).random(STEM + s.down(), 2, 2, 4);
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + s.up(), STEM + s.down()), patch.sourceKeys());
        float[] w = TestData.values(3, 16);
        double[] delta = TestData.mm(file.values(STEM + s.up()), file.values(STEM + s.down()), 4, 2, 4);
        assertClose(s.up(), TestData.plus(w, delta, 1.0), patch.apply(ops.fromArray(w, Shape.of(4, 4)), 1.0).toArray(), 1e-6);
    }

    @Test
    void kohyaSpellingWinsOverOthersForTheSameStem() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_B.weight", 5, 4, 2).random(STEM + ".lora_A.weight", 6, 2, 4)
                .random(STEM + ".lora_up.weight", 1, 4, 2).random(STEM + ".lora_down.weight", 2, 2, 4);
        assertEquals(Set.of(STEM + ".lora_up.weight", STEM + ".lora_down.weight"), single(file).sourceKeys());
    }

    @Test
    void stemsTheModelDoesNotHaveAndTakenKeysAreLeftAlone() {
        var file = new MemoryTensorIndex().random("lora_unet_nowhere.lora_up.weight", 1, 4, 2)
                .random("lora_unet_nowhere.lora_down.weight", 2, 2, 4)
                .random(STEM + ".lora_up.weight", 1, 4, 2).random(STEM + ".lora_down.weight", 2, 2, 4);
        assertEquals(1, new LowRankAdapter().patches(file, keyMap, Set.of(), ops).size());
        Set<String> taken = new HashSet<>(List.of(STEM + ".lora_up.weight"));
        assertEquals(0, new LowRankAdapter().patches(file, keyMap, taken, ops).size());
    }

    @Test
    void aMissingPartnerIsNamed() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 4, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> new LowRankAdapter().patches(file, keyMap, Set.of(), ops));
        assertTrue(e.getMessage().contains(STEM + ".lora_down.weight"), e.getMessage());
    }

    @Test
    void upAndDownThatDoNotMultiplyAreRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 4, 2).random(STEM + ".lora_down.weight", 2, 3, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> new LowRankAdapter().patches(file, keyMap, Set.of(), ops));
        assertTrue(e.getMessage().contains("[4, 2] and [3, 4]"), e.getMessage());
    }

    @Test
    void aPatchForAnotherShapeNamesTheKeyAndBothShapes() {
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 4, 2).random(STEM + ".lora_down.weight", 2, 2, 4);
        WeightPatch patch = single(file);
        var e = assertThrows(IllegalArgumentException.class, () -> patch.checkFits(Shape.of(8, 4)));
        assertTrue(e.getMessage().contains(STEM) && e.getMessage().contains("[4, 4]") && e.getMessage().contains("[8, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> patch.apply(ops.zeros(Shape.of(8, 4)), 1.0));
    }

    @Test
    void sameNumberOfValuesIsReshapedAsTorchDoes() {
        // ComfyUI reshapes ΔW to the weight's shape: a (4, 4) product fits a (4, 4, 1, 1) kernel
        var file = new MemoryTensorIndex().random(STEM + ".lora_up.weight", 1, 4, 2).random(STEM + ".lora_down.weight", 2, 2, 4);
        single(file).checkFits(Shape.of(4, 4, 1, 1));
    }

    private WeightPatch single(MemoryTensorIndex file) {
        List<WeightPatch> patches = new LowRankAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(1, patches.size(), patches.toString());
        return patches.getFirst();
    }
}
