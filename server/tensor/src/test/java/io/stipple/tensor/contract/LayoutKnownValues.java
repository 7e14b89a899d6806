package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** concat, narrow, permute, pad2d, embedding and upsampling: elements moved, never changed. */
public abstract class LayoutKnownValues extends OpsTestBase {

    private Tensor m23() {
        return tensor(dims(2, 3), 1, 2, 3, 4, 5, 6);
    }

    @Test
    void concatAlongEachAxis() {
        Tensor a = m23();
        Tensor b = tensor(dims(1, 3), 7, 8, 9);
        Tensor c = tensor(dims(2, 1), -1, -2);
        assertExactValues("axis 0", ops().concat(0, a, b), dims(3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertExactValues("axis 1", ops().concat(1, a, c, a), dims(2, 7), 1, 2, 3, -1, 1, 2, 3, 4, 5, 6, -2, 4, 5, 6);
        assertExactValues("axis -1", ops().concat(-1, c, c), dims(2, 2), -1, -1, -2, -2);
        assertExactValues("one part", ops().concat(0, b), dims(1, 3), 7, 8, 9);
        assertExactValues("with an empty part", ops().concat(0, ops().zeros(Shape.of(0, 3)), b), dims(1, 3), 7, 8, 9);
    }

    @Test
    void concatReadsStoredParts() {
        Tensor h = stored(DType.F16, dims(1, 2), 0x3c00, 0x4000);
        assertExactValues("F16 and F32", ops().concat(0, h, tensor(dims(1, 2), 3, 4)), dims(2, 2), 1, 2, 3, 4);
    }

    @Test
    void concatRefusesMismatches() {
        Tensor a = m23();
        Tensor b = tensor(dims(2, 2), 1, 2, 3, 4);
        Tensor r = tensor(dims(6), 1, 2, 3, 4, 5, 6);
        assertRefused(() -> ops().concat(0, a, b), a.shape(), b.shape());
        assertRefused(() -> ops().concat(0, a, r), a.shape(), r.shape());
        assertRefused(() -> ops().concat(0));
    }

    @Test
    void narrow() {
        Tensor t = tensor(dims(2, 3, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertExactValues("axis 1", ops().narrow(t, 1, 1, 2), dims(2, 2, 2), 2, 3, 4, 5, 8, 9, 10, 11);
        assertExactValues("axis -1", ops().narrow(t, -1, 1, 1), dims(2, 3, 1), 1, 3, 5, 7, 9, 11);
        assertExactValues("axis 0, everything", ops().narrow(t, 0, 0, 2), dims(2, 3, 2), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertExactValues("length 0", ops().narrow(t, 1, 3, 0), dims(2, 0, 2));
    }

    @Test
    void narrowRefusesRangesOutside() {
        Tensor t = m23();
        assertRefused(() -> ops().narrow(t, 1, 2, 2), t.shape());
        assertRefused(() -> ops().narrow(t, 0, -1, 1), t.shape());
        assertRefused(() -> ops().narrow(t, 1, 0, -1), t.shape());
        assertRefused(() -> ops().narrow(t, 2, 0, 1), t.shape());
    }

    @Test
    void permute() {
        Tensor t = tensor(dims(2, 2, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertExactValues("(0, 2, 1)", ops().permute(t, 0, 2, 1), dims(2, 3, 2), 0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11);
        assertExactValues("(2, 0, 1)", ops().permute(t, 2, 0, 1), dims(3, 2, 2), 0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11);
        assertExactValues("identity", ops().permute(t, 0, 1, 2), dims(2, 2, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertExactValues("transpose", ops().permute(m23(), 1, 0), dims(3, 2), 1, 4, 2, 5, 3, 6);
        assertExactValues("empty", ops().permute(ops().zeros(Shape.of(0, 2)), 1, 0), dims(2, 0));
    }

    @Test
    void permuteTakesNegativeAxesAsTorchDoes() {
        // torch: x.permute(-1, 0, 1) == x.permute(2, 0, 1)
        Tensor t = tensor(dims(2, 2, 3), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertExactValues("(-1, 0, 1)", ops().permute(t, -1, 0, 1), dims(3, 2, 2), 0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11);
    }

    @Test
    void permuteRefusesOrdersThatAreNotPermutations() {
        Tensor t = m23();
        assertRefused(() -> ops().permute(t, 0, 0), t.shape(), "[0, 0]");
        assertRefused(() -> ops().permute(t, 0), t.shape());
        assertRefused(() -> ops().permute(t, 0, 2), t.shape());
        assertRefused(() -> ops().permute(t, 1, -1), t.shape());
    }

    @Test
    void pad2d() {
        Tensor t = tensor(dims(1, 1, 2, 2), 1, 2, 3, 4);
        assertExactValues("left 1, bottom 2", ops().pad2d(t, 1, 0, 0, 2), dims(1, 1, 4, 3),
                0, 1, 2,
                0, 3, 4,
                0, 0, 0,
                0, 0, 0);
        assertExactValues("right 1, top 1, two planes", ops().pad2d(tensor(dims(2, 1, 1), 5, 6), 0, 1, 1, 0), dims(2, 2, 2),
                0, 0, 5, 0,
                0, 0, 6, 0);
        assertExactValues("no padding", ops().pad2d(t, 0, 0, 0, 0), dims(1, 1, 2, 2), 1, 2, 3, 4);
    }

    @Test
    void pad2dRefusesNegativePadding() {
        Tensor t = tensor(dims(1, 1, 2, 2), 1, 2, 3, 4);
        assertRefused(() -> ops().pad2d(t, -1, 0, 0, 0), "-1");
        assertRefused(() -> ops().pad2d(t, 0, 0, 0, -2), "-2");
    }

    @Test
    void embeddingPicksRows() {
        Tensor table = tensor(dims(4, 3), 0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32);
        assertExactValues("ids 2, 0, 2, 3", ops().embedding(table, new int[] {2, 0, 2, 3}), dims(4, 3),
                20, 21, 22, 0, 1, 2, 20, 21, 22, 30, 31, 32);
        assertExactValues("no ids", ops().embedding(table, new int[0]), dims(0, 3));
    }

    @Test
    void embeddingReadsAStoredTable() {
        // float16 rows (1, 2) and (-0.5, 65504)
        Tensor table = stored(DType.F16, dims(2, 2), 0x3c00, 0x4000, 0xb800, 0x7bff);
        assertExactValues("F16 table", ops().embedding(table, new int[] {1, 1, 0}), dims(3, 2), -0.5, 65504, -0.5, 65504, 1, 2);
    }

    @Test
    void embeddingRefusesIdsOutsideTheVocabulary() {
        Tensor table = tensor(dims(4, 2), 0, 1, 2, 3, 4, 5, 6, 7);
        assertRefused(() -> ops().embedding(table, new int[] {1, 4}), "4");
        assertRefused(() -> ops().embedding(table, new int[] {-1}), "-1");
        Tensor flat = tensor(dims(4), 0, 1, 2, 3);
        assertRefused(() -> ops().embedding(flat, new int[] {0}), flat.shape());
    }

    @Test
    void upsampleNearest2x() {
        assertExactValues("2×2", ops().upsampleNearest2x(tensor(dims(1, 1, 2, 2), 1, 2, 3, 4)), dims(1, 1, 4, 4),
                1, 1, 2, 2,
                1, 1, 2, 2,
                3, 3, 4, 4,
                3, 3, 4, 4);
        assertExactValues("1×3, two planes, rank 3", ops().upsampleNearest2x(tensor(dims(2, 1, 3), 1, 2, 3, 4, 5, 6)),
                dims(2, 2, 6),
                1, 1, 2, 2, 3, 3,
                1, 1, 2, 2, 3, 3,
                4, 4, 5, 5, 6, 6,
                4, 4, 5, 5, 6, 6);
        assertExactValues("empty", ops().upsampleNearest2x(ops().zeros(Shape.of(0, 1, 2, 2))), dims(0, 1, 4, 4));
    }

    @Test
    void upsampleNearestToAnySizeAsTorch() {
        // torch: F.interpolate(torch.arange(1., 10.).view(1, 1, 3, 3), size=(5, 4), mode="nearest")
        assertExactValues("3×3 to 5×4", ops().upsampleNearest(tensor(dims(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9), 5, 4), dims(1, 1, 5, 4),
                1, 1, 2, 3,
                1, 1, 2, 3,
                4, 4, 5, 6,
                4, 4, 5, 6,
                7, 7, 8, 9);
        // the UNet's odd latent: a 5-high level resized to its 9-high skip
        Tensor up = ops().upsampleNearest(tensor(dims(1, 1, 5, 1), 1, 2, 3, 4, 5), 9, 1);
        assertExactValues("5 to 9", up, dims(1, 1, 9, 1), 1, 1, 2, 2, 3, 3, 4, 4, 5);
    }
}
