package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Arithmetic with numpy broadcasting, the unary functions, clamp and the reductions. Sums of small
 * integers are exact; the function values are torch 1.13's ({@code torch.exp(torch.tensor([-2., -0.5, 0., 0.5, 2.]))}
 * and so on, QuickGELU as {@code x * torch.sigmoid(1.702 * x)}).
 */
public abstract class ElementwiseKnownValues extends OpsTestBase {
    private static final double[] X = {-2, -0.5, 0, 0.5, 2};
    private static final double[] POSITIVE = {0.25, 1, 2, 10};

    @Test
    void addSameShape() {
        assertExactValues("add", ops().add(tensor(dims(2, 2), 1, 2, 3, 4), tensor(dims(2, 2), 10, 20, 30, 40)), dims(2, 2),
                11, 22, 33, 44);
    }

    @Test
    void broadcastsARowOverAMatrix() {
        Tensor m = tensor(dims(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor row = tensor(dims(3), 10, 20, 30);
        assertExactValues("add", ops().add(m, row), dims(2, 3), 11, 22, 33, 14, 25, 36);
        assertExactValues("sub (row on the left)", ops().sub(row, m), dims(2, 3), 9, 18, 27, 6, 15, 24);
    }

    @Test
    void broadcastsAColumnAgainstARow() {
        Tensor col = tensor(dims(2, 1), 1, 2);
        Tensor row = tensor(dims(1, 3), 10, 20, 30);
        assertExactValues("mul", ops().mul(col, row), dims(2, 3), 10, 20, 30, 20, 40, 60);
    }

    @Test
    void broadcastAddsLeadingDimensions() {
        Tensor v = tensor(dims(3), 1, 2, 3);
        Tensor s = tensor(dims(2, 1, 1), 2, -1);
        assertExactValues("mul", ops().mul(v, s), dims(2, 1, 3), 2, 4, 6, -1, -2, -3);
        assertExactValues("div", ops().div(s, v), dims(2, 1, 3), 2, 1, 2.0f / 3, -1, -0.5, -1.0f / 3);
    }

    @Test
    void broadcastsScalars() {
        Tensor m = tensor(dims(2, 2), 1, 2, 3, 4);
        assertExactValues("rank-0 on the right", ops().mul(m, ops().full(Shape.of(), 2f)), dims(2, 2), 2, 4, 6, 8);
        assertExactValues("[1] on the left", ops().sub(tensor(dims(1), 5), m), dims(2, 2), 4, 3, 2, 1);
        assertExactValues("[1, 1] and [1]", ops().add(tensor(dims(1, 1), 5), tensor(dims(1), 2)), dims(1, 1), 7);
    }

    @Test
    void broadcastsEmptyTensors() {
        assertExactValues("[0, 3] + [3]", ops().add(ops().zeros(Shape.of(0, 3)), tensor(dims(3), 1, 2, 3)), dims(0, 3));
        assertExactValues("[2, 0] * [1]", ops().mul(ops().zeros(Shape.of(2, 0)), tensor(dims(1), 2)), dims(2, 0));
        assertExactValues("[1] - [0]", ops().sub(tensor(dims(1), 2), ops().zeros(Shape.of(0))), dims(0));
    }

    @Test
    void divisionByZeroFollowsIeee() {
        assertExactValues("div", ops().div(tensor(dims(3), 1, -1, 0), tensor(dims(3), 0, 0, 0)), dims(3),
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN);
    }

    @Test
    void readsStoredOperands() {
        // bfloat16 3.0 and -0.5 plus float16 1.0 and 2^-10
        Tensor b = stored(DType.BF16, dims(2), 0x4040, 0xbf00);
        Tensor h = stored(DType.F16, dims(2), 0x3c00, 0x1400);
        assertExactValues("BF16 + F16", ops().add(b, h), dims(2), 4, -0.5 + 0x1p-10);
    }

    @Test
    void refusesShapesThatDoNotBroadcast() {
        Tensor a = tensor(dims(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = tensor(dims(2), 1, 2);
        Tensor c = tensor(dims(3, 2), 1, 2, 3, 4, 5, 6);
        assertRefused(() -> ops().add(a, b), a.shape(), b.shape());
        assertRefused(() -> ops().sub(b, a), a.shape(), b.shape());
        assertRefused(() -> ops().mul(a, c), a.shape(), c.shape());
        assertRefused(() -> ops().div(c, a), a.shape(), c.shape());
    }

    @Test
    void scaleAndAddScalar() {
        Tensor t = tensor(dims(3), 1, -2, 0.5);
        assertExactValues("scale", ops().scale(t, 3f), dims(3), 3, -6, 1.5);
        assertExactValues("addScalar", ops().addScalar(t, -1f), dims(3), 0, -3, -0.5);
        assertExactValues("scale of empty", ops().scale(ops().zeros(Shape.of(0)), 2f), dims(0));
    }

    @Test
    void divScalarDividesInsteadOfMultiplyingByTheReciprocal() {
        // in float32 5/3 is 1.6666666 but 5·(1/3) is 1.6666667; 9/10 is 0.9 but 9·(1/10) is 0.90000004
        Tensor t = tensor(dims(2), 5, 9);
        Tensor quotient = ops().divScalar(t, 3f);
        assertExactValues("divScalar", quotient, dims(2), 5f / 3f, 9f / 3f);
        assertExactValues("divScalar by 10", ops().divScalar(t, 10f), dims(2), 5f / 10f, 9f / 10f);
        assertExactValues("Tensor.div(double)", t.div(10.0), dims(2), 5f / 10f, 9f / 10f);
    }

    @Test
    void addScaled() {
        assertExactValues("addScaled", ops().addScaled(tensor(dims(3), 1, 2, 3), tensor(dims(3), 2, -4, 0), 0.5f), dims(3),
                2, 0, 3);
    }

    @Test
    void addScaledRoundsTheProductBeforeTheSum() {
        // b·s = 1 + 2^-11 + 2^-24 rounds (a tie, to even) to 1 + 2^-11, so the sum is exactly 0 as in
        // torch's "a + b * s"; a fused multiply-add would give 2^-24
        float s = 1 + 0x1p-12f;
        assertExactValues("addScaled", ops().addScaled(tensor(dims(1), -(1 + 0x1p-11)), tensor(dims(1), s), s), dims(1), 0);
    }

    @Test
    void addScaledRefusesDifferentShapes() {
        Tensor a = tensor(dims(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = tensor(dims(3), 1, 2, 3);
        assertRefused(() -> ops().addScaled(a, b, 1f), a.shape(), b.shape());
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryMatchesTorch(UnaryOp op) {
        double[] in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? POSITIVE : X;
        double[] expected = switch (op) {
            case NEG -> new double[] {2, 0.5, -0.0, -0.5, -2};
            case ABS -> new double[] {2, 0.5, 0, 0.5, 2};
            case EXP -> new double[] {0.135335281, 0.606530666, 1, 1.64872122, 7.38905621};
            case LOG -> new double[] {-1.38629436, 0, 0.693147182, 2.30258512};
            case SQRT -> new double[] {0.5, 1, 1.41421354, 3.1622777};
            case SQUARE -> new double[] {4, 0.25, 0, 0.25, 4};
            case SIN -> new double[] {-0.909297407, -0.47942555, 0, 0.47942555, 0.909297407};
            case COS -> new double[] {-0.416146845, 0.87758255, 1, 0.87758255, -0.416146845};
            case SILU -> new double[] {-0.238405839, -0.188770339, 0, 0.311229676, 1.76159406};
            case GELU -> new double[] {-0.0455000997, -0.154268786, 0, 0.345731199, 1.95449996};
            case GELU_TANH -> new double[] {-0.0454022884, -0.154285997, 0, 0.345714003, 1.95459771};
            case QUICK_GELU -> new double[] {-0.0643413737, -0.149611562, 0, 0.350388438, 1.93565857};
            case SIGMOID -> new double[] {0.119202919, 0.377540678, 0.5, 0.622459352, 0.880797029};
        };
        assertValues(op.name(), ops().unary(tensor(dims(in.length), in), op), dims(in.length), 1e-6, expected);
    }

    @Test
    void unaryOutsideTheDomain() {
        Tensor t = tensor(dims(2), -1, 0);
        assertExactValues("log", ops().unary(t, UnaryOp.LOG), dims(2), Double.NaN, Double.NEGATIVE_INFINITY);
        assertExactValues("sqrt", ops().unary(t, UnaryOp.SQRT), dims(2), Double.NaN, 0);
    }

    @Test
    void unaryKeepsTheShapeAndReadsStoredInputs() {
        // float16 -1 and 2: GELU as torch.nn.functional.gelu
        Tensor h = stored(DType.F16, dims(1, 2, 1), 0xbc00, 0x4000);
        assertValues("GELU of F16", ops().unary(h, UnaryOp.GELU), dims(1, 2, 1), 1e-6, -0.158655286, 1.95449996);
        assertExactValues("NEG of empty", ops().unary(ops().zeros(Shape.of(0, 2)), UnaryOp.NEG), dims(0, 2));
    }

    @Test
    void clamp() {
        Tensor t = tensor(dims(4), -2, 0.5, 3, Double.NaN);
        assertExactValues("clamp", ops().clamp(t, -1f, 1f), dims(4), -1, 0.5, 1, Double.NaN);
        // torch.clamp(x, min=2, max=1) gives 1 everywhere: the maximum is applied last
        assertExactValues("clamp with min > max", ops().clamp(tensor(dims(3), -2, 0.5, 3), 2f, 1f), dims(3), 1, 1, 1);
    }

    @Test
    void sumAndMaxAbs() {
        Tensor t = tensor(dims(2, 2), 1, -3.5, 2, 0.25);
        assertEquals(-0.25, ops().sum(t));
        assertEquals(3.5, ops().maxAbs(t));
        assertEquals(0.0, ops().sum(ops().zeros(Shape.of(0))));
        assertEquals(0.0, ops().maxAbs(ops().zeros(Shape.of(3, 0))));
        assertEquals(2.5, ops().sum(stored(DType.F16, dims(2), 0x3c00, 0x3e00)));
    }
}
