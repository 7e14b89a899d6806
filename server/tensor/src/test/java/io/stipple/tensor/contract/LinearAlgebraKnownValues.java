package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * matmul, linear and conv2d on small integers (exact in float32). The products are worked by hand
 * in the comments; the convolutions are torch 1.13's {@code torch.nn.functional.conv2d} on the inputs written.
 */
public abstract class LinearAlgebraKnownValues extends OpsTestBase {

    @Test
    void matmul() {
        // [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] = [[7+18+33, 8+20+36], [28+45+66, 32+50+72]]
        Tensor a = tensor(dims(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = tensor(dims(3, 2), 7, 8, 9, 10, 11, 12);
        assertExactValues("2×3·3×2", ops().matmul(a, b), dims(2, 2), 58, 64, 139, 154);
        assertExactValues("1×1", ops().matmul(tensor(dims(1, 1), 3), tensor(dims(1, 1), 4)), dims(1, 1), 12);
    }

    @Test
    void matmulBatched() {
        // batch 0: [[1,2],[3,4]]·[1,1]ᵀ = [3,7]; batch 1: [[0,1],[1,0]]·[2,5]ᵀ = [5,2]
        Tensor a = tensor(dims(2, 2, 2), 1, 2, 3, 4, 0, 1, 1, 0);
        Tensor b = tensor(dims(2, 2, 1), 1, 1, 2, 5);
        assertExactValues("batched", ops().matmul(a, b), dims(2, 2, 1), 3, 7, 5, 2);
        // rank 4: [1,2]·[3,4]ᵀ = 11 and [-1,0.5]·[2,4]ᵀ = 0
        Tensor c = tensor(dims(1, 2, 1, 2), 1, 2, -1, 0.5);
        Tensor d = tensor(dims(1, 2, 2, 1), 3, 4, 2, 4);
        assertExactValues("rank 4", ops().matmul(c, d), dims(1, 2, 1, 1), 11, 0);
    }

    @Test
    void matmulWithEmptyDimensions() {
        assertExactValues("m = 0", ops().matmul(ops().zeros(Shape.of(0, 3)), ops().full(Shape.of(3, 2), 1f)), dims(0, 2));
        assertExactValues("n = 0", ops().matmul(ops().full(Shape.of(2, 3), 1f), ops().zeros(Shape.of(3, 0))), dims(2, 0));
        // an empty sum is 0, as torch.zeros(2, 0) @ torch.zeros(0, 3)
        assertExactValues("k = 0", ops().matmul(ops().zeros(Shape.of(2, 0)), ops().zeros(Shape.of(0, 3))), dims(2, 3),
                0, 0, 0, 0, 0, 0);
    }

    @Test
    void matmulRefusesMismatches() {
        Tensor a = tensor(dims(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = tensor(dims(2, 2), 1, 2, 3, 4);
        assertRefused(() -> ops().matmul(a, b), a.shape(), b.shape());
        Tensor c = ops().zeros(Shape.of(2, 3, 1, 2));
        Tensor d = ops().zeros(Shape.of(3, 2, 2, 1));
        assertRefused(() -> ops().matmul(c, d), c.shape(), d.shape());
        Tensor e = ops().zeros(Shape.of(1, 3, 2));
        assertRefused(() -> ops().matmul(a, e), a.shape(), e.shape());
        Tensor v = tensor(dims(3), 1, 2, 3);
        assertRefused(() -> ops().matmul(v, v), v.shape());
    }

    @Test
    void linear() {
        // x·Wᵀ + b: [1,2,3]·[1,0,-1] + 0.5 = -1.5, [1,2,3]·[2,1,0] - 1 = 3; [0,-1,2]·... = -1.5, -2
        Tensor x = tensor(dims(2, 3), 1, 2, 3, 0, -1, 2);
        Tensor w = tensor(dims(2, 3), 1, 0, -1, 2, 1, 0);
        Tensor b = tensor(dims(2), 0.5, -1);
        assertExactValues("with bias", ops().linear(x, w, b), dims(2, 2), -1.5, 3, -1.5, -2);
        assertExactValues("without bias", ops().linear(x, w, null), dims(2, 2), -2, 4, -2, -1);
        assertExactValues("rank 3", ops().linear(x.reshape(1, 2, 3), w, b), dims(1, 2, 2), -1.5, 3, -1.5, -2);
        assertExactValues("rank 1", ops().linear(tensor(dims(3), 1, 2, 3), w, b), dims(2), -1.5, 3);
        assertExactValues("no rows", ops().linear(ops().zeros(Shape.of(0, 3)), w, b), dims(0, 2));
    }

    @Test
    void linearReadsStoredWeights() {
        // the weight above as float16 codes, the bias as bfloat16
        Tensor x = tensor(dims(2, 3), 1, 2, 3, 0, -1, 2);
        Tensor w = stored(DType.F16, dims(2, 3), 0x3c00, 0x0000, 0xbc00, 0x4000, 0x3c00, 0x0000);
        Tensor b = stored(DType.BF16, dims(2), 0x3f00, 0xbf80);
        assertExactValues("F16 weight, BF16 bias", ops().linear(x, w, b), dims(2, 2), -1.5, 3, -1.5, -2);
    }

    @Test
    void linearRefusesMismatches() {
        Tensor x = tensor(dims(2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor w = tensor(dims(2, 3), 1, 0, -1, 2, 1, 0);
        assertRefused(() -> ops().linear(x, w, null), x.shape(), w.shape());
        Tensor x3 = tensor(dims(1, 3), 1, 2, 3);
        Tensor b = tensor(dims(3), 1, 2, 3);
        assertRefused(() -> ops().linear(x3, w, b), b.shape(), w.shape());
    }

    @Test
    void conv2dPointwiseWithBias() {
        // x = arange(16).reshape(1, 2, 2, 4); w = [[1, 2], [-1, 0.5], [0, 3]] as (3, 2, 1, 1); bias [1, 0, -1]
        Tensor x = tensor(dims(1, 2, 2, 4), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        Tensor w = tensor(dims(3, 2, 1, 1), 1, 2, -1, 0.5, 0, 3);
        assertExactValues("1×1", ops().conv2d(x, w, tensor(dims(3), 1, 0, -1), 1, 0), dims(1, 3, 2, 4),
                17, 20, 23, 26, 29, 32, 35, 38,
                4, 3.5, 3, 2.5, 2, 1.5, 1, 0.5,
                23, 26, 29, 32, 35, 38, 41, 44);
        assertExactValues("1×1 stride 2", ops().conv2d(x, w, null, 2, 0), dims(1, 3, 1, 2), 16, 22, 4, 3, 24, 30);
        assertExactValues("1×1 padding 1", ops().conv2d(x, w, null, 1, 1), dims(1, 3, 4, 6),
                0, 0, 0, 0, 0, 0, 0, 16, 19, 22, 25, 0, 0, 28, 31, 34, 37, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 4, 3.5, 3, 2.5, 0, 0, 2, 1.5, 1, 0.5, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 24, 27, 30, 33, 0, 0, 36, 39, 42, 45, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void conv2d3x3Padded() {
        // a ones kernel sums each 3×3 neighbourhood of [[1,2,3],[4,5,6],[7,8,9]] (zeros outside)
        Tensor x = tensor(dims(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertExactValues("3×3 padding 1", ops().conv2d(x, ops().full(Shape.of(1, 1, 3, 3), 1f), null, 1, 1), dims(1, 1, 3, 3),
                12, 21, 16, 27, 45, 33, 24, 39, 28);
    }

    @Test
    void conv2dStride2OnAnOddSize() {
        // arange(25) as 5×5, ones 3×3, stride 2, padding 1: output 3×3, (5 + 2 − 3) / 2 + 1
        double[] v = new double[25];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        assertExactValues("stride 2", ops().conv2d(tensor(dims(1, 1, 5, 5), v), ops().full(Shape.of(1, 1, 3, 3), 1f), null, 2, 1),
                dims(1, 1, 3, 3), 12, 27, 24, 63, 108, 81, 72, 117, 84);
    }

    @Test
    void conv2dManyChannelsBatchedAndRectangular() {
        // x = arange(48).reshape(2, 2, 3, 4) * 0.25 - 5; w = (arange(36).reshape(3, 2, 2, 3) % 7 - 3) * 0.5
        double[] xv = new double[48];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = i * 0.25 - 5;
        }
        double[] wv = new double[36];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = (i % 7 - 3) * 0.5;
        }
        Tensor x = tensor(dims(2, 2, 3, 4), xv);
        Tensor w = tensor(dims(3, 2, 2, 3), wv);
        assertExactValues("bias [0.5, -1, 2]", ops().conv2d(x, w, tensor(dims(3), 0.5, -1, 2), 1, 0), dims(2, 3, 2, 2),
                11, 10.375, 8.5, 7.875, -3, -3.125, -3.5, -3.625, -2.875, -2.5, -1.375, -1,
                -4, -4.625, -6.5, -7.125, -6, -6.125, -6.5, -6.625, 6.125, 6.5, 7.625, 8);
        assertExactValues("stride 2 padding 1", ops().conv2d(x, w, null, 2, 1), dims(2, 3, 2, 2),
                -8.125, -6.25, 4, 7.375, 5.375, 11.75, -1.125, -2.625, 11.875, 1.75, 0.75, -3,
                3.875, 2.75, -8, -7.625, -6.625, -15.25, 1.875, -5.625, -3.125, 1.75, -2.25, 6);
        // a 1×3 kernel [1, 0, -1] on arange(8) as 2×4, padding 1
        assertExactValues("1×3 kernel", ops().conv2d(tensor(dims(1, 1, 2, 4), 0, 1, 2, 3, 4, 5, 6, 7),
                tensor(dims(1, 1, 1, 3), 1, 0, -1), null, 1, 1), dims(1, 1, 4, 4),
                0, 0, 0, 0, -1, -2, -2, 2, -5, -2, -2, 6, 0, 0, 0, 0);
    }

    @Test
    void conv2dReadsAStoredWeight() {
        // the ones kernel as float16
        Tensor w = stored(DType.F16, dims(1, 1, 3, 3), 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00, 0x3c00);
        Tensor x = tensor(dims(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertExactValues("F16 weight", ops().conv2d(x, w, null, 1, 1), dims(1, 1, 3, 3), 12, 21, 16, 27, 45, 33, 24, 39, 28);
    }

    @Test
    void conv2dOfAnEmptyBatch() {
        assertExactValues("n = 0", ops().conv2d(ops().zeros(Shape.of(0, 2, 3, 3)), ops().full(Shape.of(4, 2, 3, 3), 1f), null, 1, 1),
                dims(0, 4, 3, 3));
    }

    @Test
    void conv2dRefusesMismatches() {
        Tensor x = ops().zeros(Shape.of(1, 2, 3, 3));
        Tensor w = ops().zeros(Shape.of(4, 3, 1, 1));
        assertRefused(() -> ops().conv2d(x, w, null, 1, 0), x.shape(), w.shape());
        Tensor big = ops().zeros(Shape.of(1, 2, 5, 5));
        assertRefused(() -> ops().conv2d(x, big, null, 1, 0), x.shape(), big.shape());
        Tensor w3 = ops().zeros(Shape.of(4, 2, 3, 3));
        Tensor bias = ops().zeros(Shape.of(3));
        assertRefused(() -> ops().conv2d(x, w3, bias, 1, 1), bias.shape(), w3.shape());
        assertRefused(() -> ops().conv2d(x, w3, null, 0, 1), "stride 0");
        assertRefused(() -> ops().conv2d(x, w3, null, 1, -1), "padding -1");
        Tensor flat = ops().zeros(Shape.of(2, 3, 3));
        assertRefused(() -> ops().conv2d(flat, w3, null, 1, 1), flat.shape(), w3.shape());
    }
}
