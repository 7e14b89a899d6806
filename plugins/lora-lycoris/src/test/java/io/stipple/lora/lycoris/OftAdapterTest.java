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

/**
 * OFT against the closed form of a 2×2 Cayley rotation: Q = [[0, q], [−q, 0]] gives
 * R = [[1 − q², 2q], [−2q, 1 − q²]] / (1 + q²).
 */
class OftAdapterTest {
    private static final String STEM = "lora_unet_x";
    private final Ops ops = new CpuOps();
    private final LoraKeyMap keyMap = TestData.keyMap(STEM, "model.diffusion_model.x.weight");

    @Test
    void eachBlockTurnsItsRowsByTheTransposedRotationWithTheStrengthTwice() {
        var file = new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 2, 2, 2);
        float[] w = TestData.values(9, 12);
        double s = 0.7;
        float[] expected = rotated(w, qs(file.values(STEM + ".oft_blocks"), 1.0), s * s);
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + ".oft_blocks"), patch.sourceKeys());
        assertClose("oft", expected, patch.apply(ops.fromArray(w, Shape.of(4, 3)), s).toArray(), 1e-6);
    }

    @Test
    void alphaBoundsTheNormOfAllBlocksTogether() {
        var file = new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 2, 2, 2).put(STEM + ".alpha", new float[] {0.1f});
        float[] b = file.values(STEM + ".oft_blocks");
        double[] q = qs(b, 1.0);
        // ‖Q‖ counts each q twice (q and −q)
        double norm = Math.sqrt(2 * (q[0] * q[0] + q[1] * q[1])) + 1e-8;
        float[] w = TestData.values(9, 12);
        float[] expected = rotated(w, qs(b, 0.1 / norm), 1.0);
        assertClose("coft", expected, single(file).apply(ops.fromArray(w, Shape.of(4, 3)), 1.0).toArray(), 1e-6);
    }

    @Test
    void rescaleIsTakenButNotAppliedAndDoraScaleIsNotRead() {
        // ComfyUI's OFT reads .rescale and never uses it; it has no DoRA of its own
        var file = new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 2, 2, 2).random(STEM + ".rescale", 2, 4, 1)
                .random(STEM + ".dora_scale", 3, 4, 1);
        WeightPatch patch = single(file);
        assertEquals(Set.of(STEM + ".oft_blocks", STEM + ".rescale"), patch.sourceKeys());
        float[] w = TestData.values(9, 12);
        assertClose("oft", rotated(w, qs(file.values(STEM + ".oft_blocks"), 1.0), 1.0),
                patch.apply(ops.fromArray(w, Shape.of(4, 3)), 1.0).toArray(), 1e-6);
    }

    @Test
    void fourDimensionalBlocksAreBoftsAndBlocksForOtherRowsAreRefused() {
        assertEquals(List.of(), new OftAdapter().patches(new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 1, 2, 2, 2), keyMap,
                Set.of(), ops));
        WeightPatch patch = single(new MemoryTensorIndex().random(STEM + ".oft_blocks", 1, 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> patch.checkFits(Shape.of(6, 3)));
    }

    /** Each 2×2 block's q = B01 − B10, times {@code factor}. */
    private static double[] qs(float[] blocks, double factor) {
        double[] q = new double[blocks.length / 4];
        for (int k = 0; k < q.length; k++) {
            q[k] = (double) (blocks[4 * k + 1] - blocks[4 * k + 2]) * factor;
        }
        return q;
    }

    /** W + c · (R_k − I)ᵀ W_k for 2-row blocks of a (4, 3) weight. */
    private static float[] rotated(float[] w, double[] q, double c) {
        float[] out = new float[w.length];
        for (int k = 0; k < q.length; k++) {
            double d = 1 + q[k] * q[k];
            double[][] rMinusI = {{(1 - q[k] * q[k]) / d - 1, 2 * q[k] / d}, {-2 * q[k] / d, (1 - q[k] * q[k]) / d - 1}};
            for (int m = 0; m < 2; m++) {
                for (int col = 0; col < 3; col++) {
                    double diff = 0;
                    for (int n = 0; n < 2; n++) {
                        diff += rMinusI[n][m] * w[(2 * k + n) * 3 + col];
                    }
                    out[(2 * k + m) * 3 + col] = (float) (w[(2 * k + m) * 3 + col] + c * diff);
                }
            }
        }
        return out;
    }

    private WeightPatch single(MemoryTensorIndex file) {
        List<WeightPatch> patches = new OftAdapter().patches(file, keyMap, Set.of(), ops);
        assertEquals(1, patches.size());
        return patches.getFirst();
    }
}
