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

class LohaAdapterTest {
    private static final String STEM = "lora_unet_x";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, "model.diffusion_model.x.weight");

    @Test
    void hadamardProductOfTwoLowRankProducts() {
        var file = new MemoryTensorIndex().random(STEM + ".hada_w1_a", 1, 4, 2).random(STEM + ".hada_w1_b", 2, 2, 5)
                .random(STEM + ".hada_w2_a", 3, 4, 2).random(STEM + ".hada_w2_b", 4, 2, 5).put(STEM + ".alpha", new float[] {3f});
        double[] m1 = TestData.mm(file.values(STEM + ".hada_w1_a"), file.values(STEM + ".hada_w1_b"), 4, 2, 5);
        double[] m2 = TestData.mm(file.values(STEM + ".hada_w2_a"), file.values(STEM + ".hada_w2_b"), 4, 2, 5);
        double[] delta = new double[m1.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = m1[i] * m2[i];
        }
        float[] w = TestData.values(9, 20);
        WeightPatch patch = single(file);
        assertEquals(5, patch.sourceKeys().size());
        assertClose("loha", TestData.plus(w, delta, 0.8 * 3 / 2), patch.apply(ops.fromArray(w, Shape.of(4, 5)), 0.8).toArray(), 1e-6);
    }

    @Test
    void tuckerCoresRebuildConvolutionFactors() {
        // m[p, r, k, l] = Σ_i Σ_j t[i, j, k, l] · w_b[j, r] · w_a[i, p]
        int rank = 2;
        int out = 3;
        int in = 2;
        var file = new MemoryTensorIndex().random(STEM + ".hada_w1_a", 1, rank, out).random(STEM + ".hada_w1_b", 2, rank, in)
                .random(STEM + ".hada_w2_a", 3, rank, out).random(STEM + ".hada_w2_b", 4, rank, in)
                .random(STEM + ".hada_t1", 5, rank, rank, 3, 3).random(STEM + ".hada_t2", 6, rank, rank, 3, 3);
        double[] m1 = tucker(file, "1", rank, out, in);
        double[] m2 = tucker(file, "2", rank, out, in);
        double[] delta = new double[m1.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = m1[i] * m2[i];
        }
        float[] w = TestData.values(9, delta.length);
        WeightPatch patch = single(file);
        assertEquals(6, patch.sourceKeys().size());
        assertClose("loha tucker", TestData.plus(w, delta, 1.0), patch.apply(ops.fromArray(w, Shape.of(out, in, 3, 3)), 1.0).toArray(),
                1e-6);
    }

    private static double[] tucker(MemoryTensorIndex file, String n, int rank, int out, int in) {
        float[] t = file.values(STEM + ".hada_t" + n);
        float[] wa = file.values(STEM + ".hada_w" + n + "_a");
        float[] wb = file.values(STEM + ".hada_w" + n + "_b");
        double[] m = new double[out * in * 9];
        for (int p = 0; p < out; p++) {
            for (int r = 0; r < in; r++) {
                for (int kl = 0; kl < 9; kl++) {
                    double s = 0;
                    for (int i = 0; i < rank; i++) {
                        for (int j = 0; j < rank; j++) {
                            s += (double) t[(i * rank + j) * 9 + kl] * wb[j * in + r] * wa[i * out + p];
                        }
                    }
                    m[(p * in + r) * 9 + kl] = s;
                }
            }
        }
        return m;
    }

    @Test
    void productsOfDifferentShapesAreRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".hada_w1_a", 1, 4, 2).random(STEM + ".hada_w1_b", 2, 2, 5)
                .random(STEM + ".hada_w2_a", 3, 3, 2).random(STEM + ".hada_w2_b", 4, 2, 5);
        var e = assertThrows(IllegalArgumentException.class, () -> new LohaAdapter().patches(file, keyMap, Set.of(), ops));
        assertTrue(e.getMessage().contains("[4, 5] and [3, 5]"), e.getMessage());
    }

    @Test
    void aMissingFactorIsNamed() {
        var file = new MemoryTensorIndex().random(STEM + ".hada_w1_a", 1, 4, 2).random(STEM + ".hada_w1_b", 2, 2, 5)
                .random(STEM + ".hada_w2_a", 3, 4, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> new LohaAdapter().patches(file, keyMap, Set.of(), ops));
        assertTrue(e.getMessage().contains(STEM + ".hada_w2_b"), e.getMessage());
    }

    private WeightPatch single(MemoryTensorIndex file) {
        List<WeightPatch> patches = new LohaAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(1, patches.size());
        return patches.getFirst();
    }
}
