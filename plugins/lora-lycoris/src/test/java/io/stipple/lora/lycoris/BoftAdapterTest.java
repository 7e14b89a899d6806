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

/** BOFT with 2×2 blocks, whose Cayley rotation has a closed form (see OftAdapterTest). */
class BoftAdapterTest {
    private static final String STEM = "lora_unet_x";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, "model.diffusion_model.x.weight");

    @Test
    void withoutAlphaTheModuleIsLeftOutAsComfyUiFailsOnIt() {
        var file = new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 1, 2, 2, 2);
        assertEquals(List.of(), new BoftAdapter().patches(file, keyMap, Set.of(), ops));
    }

    @Test
    void oneStageBlendsEachRotationWithTheIdentityAndAddsTheStrengthAgain() {
        var file = new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 1, 2, 2, 2).put(STEM + ".alpha", new float[] {0f});
        float[] b = file.values(STEM + ".oft_blocks");
        float[] w = TestData.values(9, 12);
        double s = 0.6;
        // stage 0 pairs neighbouring rows: blocks {0, 1} and {2, 3}, turned by s·R + (1 − s)·I (not transposed)
        double[] turned = turn(w, new int[][] {{0, 1}, {2, 3}}, new double[] {q(b, 0), q(b, 1)}, s);
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = (float) (w[i] + s * (turned[i] - w[i]));
        }
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + ".oft_blocks", STEM + ".alpha"), patch.sourceKeys());
        assertClose("boft", expected, patch.apply(ops.fromArray(w, Shape.of(4, 3)), s).toArray(), 1e-6);
    }

    @Test
    void theSecondStagePairsRowsTwoApartAndRescaleMultipliesTheResult() {
        float[] blocks = new float[2 * 2 * 4];
        float[] second = TestData.values(1, 8);
        System.arraycopy(second, 0, blocks, 8, 8); // stage 0: zero blocks, the identity
        var file = new MemoryTensorIndex().put(STEM + ".oft_blocks", blocks, 2, 2, 2, 2).put(STEM + ".alpha", new float[] {0f})
                .random(STEM + ".rescale", 2, 4, 1);
        float[] rescale = file.values(STEM + ".rescale");
        float[] w = TestData.values(9, 12);
        double[] turned = turn(w, new int[][] {{0, 2}, {1, 3}}, new double[] {q(second, 0), q(second, 1)}, 1.0);
        float[] expected = new float[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = (float) (turned[i] * rescale[i / 3]);
        }
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + ".oft_blocks", STEM + ".alpha", STEM + ".rescale"), patch.sourceKeys());
        assertClose("boft", expected, patch.apply(ops.fromArray(w, Shape.of(4, 3)), 1.0).toArray(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> patch.checkFits(Shape.of(8, 3)));
    }

    @Test
    void aRescaleThatDoesNotMultiplyTheWeightIsRefused() {
        var file = new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 1, 2, 2, 2).put(STEM + ".alpha", new float[] {0f})
                .random(STEM + ".rescale", 2, 3, 1);
        assertThrows(IllegalArgumentException.class, () -> single(file).checkFits(Shape.of(4, 3)));
    }

    private static double q(float[] blocks, int k) {
        return blocks[4 * k + 1] - blocks[4 * k + 2];
    }

    /** Rows pairs[k] of a (4, 3) weight turned by (s·R_k + (1 − s)·I) for the 2×2 rotation of q[k]. */
    private static double[] turn(float[] w, int[][] pairs, double[] q, double s) {
        double[] out = new double[w.length];
        for (int k = 0; k < pairs.length; k++) {
            double d = 1 + q[k] * q[k];
            double[][] r = {{(1 - q[k] * q[k]) / d, 2 * q[k] / d}, {-2 * q[k] / d, (1 - q[k] * q[k]) / d}};
            for (int i = 0; i < 2; i++) {
                for (int col = 0; col < 3; col++) {
                    double v = 0;
                    for (int j = 0; j < 2; j++) {
                        double m = s * r[i][j] + (i == j ? 1 - s : 0);
                        v += m * w[pairs[k][j] * 3 + col];
                    }
                    out[pairs[k][i] * 3 + col] = v;
                }
            }
        }
        return out;
    }

    private WeightPatch single(MemoryTensorIndex file) {
        List<WeightPatch> patches = new BoftAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(1, patches.size());
        return patches.getFirst();
    }
}
