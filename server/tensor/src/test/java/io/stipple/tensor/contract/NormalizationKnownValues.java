package io.stipple.tensor.contract;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Group norm, layer norm, softmax and GEGLU against torch 1.13 ({@code F.group_norm}, {@code F.layer_norm},
 * {@code torch.softmax}, {@code a * F.gelu(gate)}) on the inputs written here.
 */
public abstract class NormalizationKnownValues extends OpsTestBase {
    private static final double TOL = 2e-6;

    private Tensor groupInput() {
        return tensor(dims(1, 4, 1, 2), 1, 2, 4, 8, -1, 0, 3, 5);
    }

    @Test
    void groupNormTwoGroupsWithAffine() {
        Tensor gamma = tensor(dims(4), 1, 0.5, 2, -1);
        Tensor beta = tensor(dims(4), 0, 1, 0, -0.5);
        assertValues("2 groups", ops().groupNorm(groupInput(), 2, gamma, beta, 1e-5f), dims(1, 4, 1, 2), TOL,
                -1.02575457, -0.652752936, 1.04662514, 1.79262853, -2.30622458, -1.46759748, -1.02414203, -1.86276913);
    }

    @Test
    void groupNormOneGroup() {
        assertValues("1 group", ops().groupNorm(groupInput(), 1, null, null, 1e-5f), dims(1, 4, 1, 2), TOL,
                -0.641688526, -0.275009364, 0.45834896, 1.92506564, -1.37504685, -1.00836766, 0.0916697904, 0.825028121);
    }

    @Test
    void groupNormAsManyGroupsAsChannels() {
        // each channel alone: ±d/sqrt(d² + eps) for its two values ±d about the mean
        assertValues("4 groups", ops().groupNorm(groupInput(), 4, null, null, 1e-5f), dims(1, 4, 1, 2), TOL,
                -0.999979973, 0.999979973, -0.999998808, 0.999998808, -0.999979973, 0.999979973, -0.999994993, 0.999994993);
    }

    @Test
    void groupNormBatchedWithALargeEps() {
        // torch.cat([x, 2x + 1]), 2 groups, eps 0.1 (inside the square root)
        Tensor x = tensor(dims(2, 4, 1, 2), 1, 2, 4, 8, -1, 0, 3, 5, 3, 5, 9, 17, -1, 1, 7, 11);
        assertValues("batch 2", ops().groupNorm(x, 2, null, null, 0.1f), dims(2, 4, 1, 2), TOL,
                -1.01869321, -0.648259342, 0.0926084742, 1.57434404, -1.14310777, -0.727432191, 0.519594431, 1.35094559,
                -1.02397597, -0.651621044, 0.0930887237, 1.58250833, -1.15058732, -0.73219192, 0.52299422, 1.35978496);
    }

    @Test
    void groupNormRefusesBadGroupsAndParameters() {
        Tensor x = groupInput();
        assertRefused(() -> ops().groupNorm(x, 3, null, null, 1e-5f), x.shape(), "3");
        assertRefused(() -> ops().groupNorm(x, 0, null, null, 1e-5f), x.shape(), "0");
        Tensor gamma = tensor(dims(3), 1, 1, 1);
        assertRefused(() -> ops().groupNorm(x, 2, gamma, null, 1e-5f), gamma.shape(), x.shape());
        assertRefused(() -> ops().groupNorm(x, 2, null, gamma, 1e-5f), gamma.shape(), x.shape());
    }

    @Test
    void layerNorm() {
        Tensor x = tensor(dims(2, 1, 4), 1, 2, 3, 4, 2, 2, 2, 2);
        assertValues("no affine", ops().layerNorm(x, null, null, 1e-5f), dims(2, 1, 4), TOL,
                -1.34163547, -0.447211862, 0.447211802, 1.34163547, 0, 0, 0, 0);
        Tensor gamma = tensor(dims(4), 1, 2, 0.5, -1);
        Tensor beta = tensor(dims(4), 0, 0.1, 0.2, 0.3);
        assertValues("affine", ops().layerNorm(x, gamma, beta, 1e-5f), dims(2, 1, 4), TOL,
                -1.34163547, -0.794423699, 0.423605919, -1.04163551, 0, 0.100000001, 0.200000003, 0.300000012);
    }

    @Test
    void layerNormReadsStoredParameters() {
        // gamma 2 and beta -1 as bfloat16: 2·(±1/sqrt(1 + eps)) − 1 for the values 1, 3
        Tensor gamma = stored(DType.BF16, dims(2), 0x4000, 0x4000);
        Tensor beta = stored(DType.BF16, dims(2), 0xbf80, 0xbf80);
        assertValues("BF16 affine", ops().layerNorm(tensor(dims(2), 1, 3), gamma, beta, 0f), dims(2), TOL, -3, 1);
    }

    @Test
    void layerNormRefusesParametersOfAnotherWidth() {
        Tensor x = tensor(dims(2, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        Tensor gamma = tensor(dims(3), 1, 1, 1);
        assertRefused(() -> ops().layerNorm(x, gamma, null, 1e-5f), gamma.shape(), x.shape());
        assertRefused(() -> ops().layerNorm(x, null, gamma, 1e-5f), gamma.shape(), x.shape());
    }

    @Test
    void softmax() {
        assertValues("softmax", ops().softmax(tensor(dims(3), 1, 2, 3)), dims(3), TOL, 0.0900305733, 0.244728476, 0.665240943);
        assertValues("large values do not overflow", ops().softmax(tensor(dims(1, 1, 3), 1000, 1000, -1000)), dims(1, 1, 3), TOL,
                0.5, 0.5, 0);
        assertValues("-inf gets 0", ops().softmax(tensor(dims(3), 0, Double.NEGATIVE_INFINITY, 1)), dims(3), TOL,
                0.268941432, 0, 0.731058598);
        assertValues("one column", ops().softmax(tensor(dims(2, 1), -7, 3)), dims(2, 1), 0, 1, 1);
    }

    @Test
    void softmaxOfEmptyRows() {
        assertExactValues("[2, 0]", ops().softmax(ops().zeros(Shape.of(2, 0))), dims(2, 0));
        assertExactValues("[0, 3]", ops().softmax(ops().zeros(Shape.of(0, 3))), dims(0, 3));
    }

    @Test
    void geglu() {
        // rows [a | gate]: [1, -2 | 0.5, -1] and [3, 0 | 2, 0]
        Tensor x = tensor(dims(2, 4), 1, -2, 0.5, -1, 3, 0, 2, 0);
        assertValues("geglu", ops().geglu(x), dims(2, 2), TOL, 0.345731229, 0.317310512, 5.86349916, 0);
        assertValues("rank 3", ops().geglu(x.reshape(1, 2, 4)), dims(1, 2, 2), TOL, 0.345731229, 0.317310512, 5.86349916, 0);
        assertExactValues("empty last dimension", ops().geglu(ops().zeros(Shape.of(2, 0))), dims(2, 0));
    }

    @Test
    void gegluRefusesAnOddWidth() {
        Tensor x = ops().zeros(Shape.of(2, 3));
        assertRefused(() -> ops().geglu(x), x.shape());
    }
}
