package io.stipple.lora.lycoris;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GloraAdapterTest {
    private static final String STEM = "lora_unet_x";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, "model.diffusion_model.x.weight");

    @Test
    void matrixInTheCurrentLayoutAddsWeightA1A2AndB1B2ScaledByAlphaOverRank() {
        // out 4, in 3, rank 2: a1 (in, r), a2 (r, in), b1 (out, r), b2 (r, in)
        var file = new MemoryTensorIndex().random(STEM + ".a1.weight", 1, 3, 2).random(STEM + ".a2.weight", 2, 2, 3)
                .random(STEM + ".b1.weight", 3, 4, 2).random(STEM + ".b2.weight", 4, 2, 3).put(STEM + ".alpha", new float[] {3f});
        float[] w = TestData.values(9, 12);
        double[] wa1 = TestData.mm(w, file.values(STEM + ".a1.weight"), 4, 3, 2);
        double[] delta = add(TestData.mm(toFloat(wa1), file.values(STEM + ".a2.weight"), 4, 2, 3),
                TestData.mm(file.values(STEM + ".b1.weight"), file.values(STEM + ".b2.weight"), 4, 2, 3));
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + ".a1.weight", STEM + ".a2.weight", STEM + ".b1.weight", STEM + ".b2.weight", STEM + ".alpha"),
                patch.sourceKeys());
        assertClose("glora", TestData.plus(w, delta, 0.5 * 3 / 2), patch.apply(ops.fromArray(w, Shape.of(4, 3)), 0.5).toArray(), 1e-6);
    }

    @Test
    void kernelInTheCurrentLayoutMixesItsInputDimension() {
        // W (2, 3, 2, 1); a1 (3, 2), a2 (2, 3); b1 (2, 2), b2 (2, 3·2·1); no alpha: scale 1
        var file = new MemoryTensorIndex().random(STEM + ".a1.weight", 1, 3, 2).random(STEM + ".a2.weight", 2, 2, 3)
                .random(STEM + ".b1.weight", 3, 2, 2).random(STEM + ".b2.weight", 4, 2, 6);
        float[] a1 = file.values(STEM + ".a1.weight");
        float[] a2 = file.values(STEM + ".a2.weight");
        float[] w = TestData.values(9, 12);
        double[] b1b2 = TestData.mm(file.values(STEM + ".b1.weight"), file.values(STEM + ".b2.weight"), 2, 2, 6);
        double[] delta = new double[12];
        for (int o = 0; o < 2; o++) {
            for (int j2 = 0; j2 < 3; j2++) {
                for (int k = 0; k < 2; k++) {
                    double v = 0;
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 2; j++) {
                            v += (double) w[(o * 3 + i) * 2 + k] * a1[i * 2 + j] * a2[j * 3 + j2];
                        }
                    }
                    delta[(o * 3 + j2) * 2 + k] = v + b1b2[(o * 3 + j2) * 2 + k];
                }
            }
        }
        assertClose("glora conv", TestData.plus(w, delta, 1.0), single(file).apply(ops.fromArray(w, Shape.of(2, 3, 2, 1)), 1.0).toArray(),
                1e-6);
    }

    @Test
    void theOldLayoutAddsWeightA2A1AndB2B1WithItsRankFromA1() {
        // out 4, in 3, rank 2: a1 (r, in), a2 (in, r), b1 (r, in), b2 (out, r): only the old layout's shapes agree
        var file = new MemoryTensorIndex().random(STEM + ".a1.weight", 1, 2, 3).random(STEM + ".a2.weight", 2, 3, 2)
                .random(STEM + ".b1.weight", 3, 2, 3).random(STEM + ".b2.weight", 4, 4, 2).put(STEM + ".alpha", new float[] {1f});
        float[] w = TestData.values(9, 12);
        double[] wa2 = TestData.mm(w, file.values(STEM + ".a2.weight"), 4, 3, 2);
        double[] delta = add(TestData.mm(toFloat(wa2), file.values(STEM + ".a1.weight"), 4, 2, 3),
                TestData.mm(file.values(STEM + ".b2.weight"), file.values(STEM + ".b1.weight"), 4, 2, 3));
        assertClose("old glora", TestData.plus(w, delta, 0.5), single(file).apply(ops.fromArray(w, Shape.of(4, 3)), 1.0).toArray(), 1e-6);
    }

    @Test
    void factorsInNeitherLayoutAreRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".a1.weight", 1, 3, 2).random(STEM + ".a2.weight", 2, 2, 3)
                .random(STEM + ".b1.weight", 3, 4, 5).random(STEM + ".b2.weight", 4, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> single(file).checkFits(Shape.of(4, 3)));
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    private WeightPatch single(MemoryTensorIndex file) {
        List<WeightPatch> patches = new GloraAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(1, patches.size());
        return patches.getFirst();
    }
}
