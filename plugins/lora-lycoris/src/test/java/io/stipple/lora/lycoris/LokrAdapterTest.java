package io.stipple.lora.lycoris;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LokrAdapterTest {
    private static final String STEM = "lora_unet_x";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, "model.diffusion_model.x.weight");

    @Test
    void kroneckerProductOfWholeFactorsIgnoresAlpha() {
        var file = new MemoryTensorIndex().random(STEM + ".lokr_w1", 1, 2, 3).random(STEM + ".lokr_w2", 2, 3, 2)
                .put(STEM + ".alpha", new float[] {7f});
        float[] w1 = file.values(STEM + ".lokr_w1");
        float[] w2 = file.values(STEM + ".lokr_w2");
        double[] delta = kron(w1, 2, 3, w2, 3, 2);
        float[] w = TestData.values(9, 36);
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + ".lokr_w1", STEM + ".lokr_w2", STEM + ".alpha"), patch.sourceKeys());
        assertClose("lokr", TestData.plus(w, delta, 0.5), patch.apply(ops.fromArray(w, Shape.of(6, 6)), 0.5).toArray(), 1e-6);
    }

    @Test
    void lowRankSecondFactorScalesByAlphaOverItsRank() {
        var file = new MemoryTensorIndex().random(STEM + ".lokr_w1", 1, 2, 2).random(STEM + ".lokr_w2_a", 2, 3, 2)
                .random(STEM + ".lokr_w2_b", 3, 2, 4).put(STEM + ".alpha", new float[] {3f});
        double[] w2d = TestData.mm(file.values(STEM + ".lokr_w2_a"), file.values(STEM + ".lokr_w2_b"), 3, 2, 4);
        float[] w2 = new float[w2d.length];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) w2d[i];
        }
        double[] delta = kron(file.values(STEM + ".lokr_w1"), 2, 2, w2, 3, 4);
        float[] w = TestData.values(9, 48);
        assertClose("lokr", TestData.plus(w, delta, 1.5), single(file).apply(ops.fromArray(w, Shape.of(6, 8)), 1.0).toArray(), 1e-6);
    }

    @Test
    void matrixBesideKernelGainsUnitDimensions() {
        // kron(w1[a,b,1,1], w2[c,d,3,3]) -> [a·c, b·d, 3, 3]
        var file = new MemoryTensorIndex().random(STEM + ".lokr_w1", 1, 2, 2).random(STEM + ".lokr_w2", 2, 2, 3, 3, 3);
        float[] w1 = file.values(STEM + ".lokr_w1");
        float[] w2 = file.values(STEM + ".lokr_w2");
        double[] delta = new double[4 * 6 * 9];
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < 2; c++) {
                    for (int d = 0; d < 3; d++) {
                        for (int kl = 0; kl < 9; kl++) {
                            delta[((a * 2 + c) * 6 + b * 3 + d) * 9 + kl] = (double) w1[a * 2 + b] * w2[(c * 3 + d) * 9 + kl];
                        }
                    }
                }
            }
        }
        float[] w = TestData.values(9, delta.length);
        assertClose("lokr conv", TestData.plus(w, delta, 1.0),
                single(file).apply(ops.fromArray(w, Shape.of(4, 6, 3, 3)), 1.0).toArray(), 1e-6);
    }

    @Test
    void aTuckerLokrIsLeftOutAsComfyUiFailsOnItAndTheOthersApply() {
        LoraKeyMap two = TestData.keyMap(STEM, "model.diffusion_model.x.weight", "lora_unet_y", "model.diffusion_model.y.weight");
        var file = new MemoryTensorIndex().random(STEM + ".lokr_w1", 1, 2, 2).random(STEM + ".lokr_w2_a", 2, 2, 3)
                .random(STEM + ".lokr_w2_b", 3, 2, 3).random(STEM + ".lokr_t2", 4, 2, 2, 3, 3)
                .random("lora_unet_y.lokr_w1", 5, 2, 2).random("lora_unet_y.lokr_w2", 6, 3, 3);
        List<WeightPatch> patches = new LokrAdapter().patches(file, two, Set.of(), ops);
        assertEquals(List.of("model.diffusion_model.y.weight"), patches.stream().map(p -> p.target().weight()).toList());
    }

    @Test
    void aLokrWithoutItsFirstFactorIsRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".lokr_w2", 2, 3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> new LokrAdapter().patches(file, keyMap, Set.of(), ops));
        assertTrue(e.getMessage().contains("lokr_w1"), e.getMessage());
    }

    @Test
    void aPatchForAnotherShapeIsRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".lokr_w1", 1, 2, 3).random(STEM + ".lokr_w2", 2, 3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> single(file).checkFits(Shape.of(6, 7)));
        assertTrue(e.getMessage().contains("[6, 6]") && e.getMessage().contains("[6, 7]"), e.getMessage());
    }

    private static double[] kron(float[] a, int m, int n, float[] b, int p, int q) {
        double[] out = new double[m * p * n * q];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < p; k++) {
                    for (int l = 0; l < q; l++) {
                        out[(i * p + k) * (n * q) + j * q + l] = (double) a[i * n + j] * b[k * q + l];
                    }
                }
            }
        }
        return out;
    }

    private WeightPatch single(MemoryTensorIndex file) {
        List<WeightPatch> patches = new LokrAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(1, patches.size());
        return patches.getFirst();
    }
}
