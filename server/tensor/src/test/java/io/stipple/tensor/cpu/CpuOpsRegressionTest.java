package io.stipple.tensor.cpu;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.testing.ReferenceOps;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Inputs that once crashed CpuOps or gave a wrong answer, each kept with its fix. */
class CpuOpsRegressionTest {
    private final CpuOps ops = new CpuOps();

    private static void refused(Executable call, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "\"" + e.getMessage() + "\" should mention " + m);
        }
    }

    @Test
    void permuteTakesNegativeAxesAndRefusesRepeatedOnes() {
        // was: ArrayIndexOutOfBoundsException for -1, IllegalStateException for (0, 0)
        Tensor t = ops.fromArray(new float[] {0, 1, 2, 3, 4, 5}, Shape.of(1, 2, 3));
        Tensor p = ops.permute(t, -1, 0, 1);
        assertEquals(Shape.of(3, 1, 2), p.shape());
        assertExact("permute(-1, 0, 1)", new float[] {0, 3, 1, 4, 2, 5}, ops.toArray(p));
        refused(() -> ops.permute(t, 0, 0, 1), "[0, 0, 1]", "[1, 2, 3]");
        refused(() -> ops.permute(t, 0, 1, 3), "[0, 1, 3]", "[1, 2, 3]");
    }

    @Test
    void matmulRefusesLeadingDimensionsThatOnlyMultiplyAlike() {
        // was: (2, 3, 1, 2) · (3, 2, 2, 1) accepted as six products
        Tensor a = ops.zeros(Shape.of(2, 3, 1, 2));
        Tensor b = ops.zeros(Shape.of(3, 2, 2, 1));
        refused(() -> ops.matmul(a, b), "[2, 3, 1, 2]", "[3, 2, 2, 1]");
        Tensor v = ops.zeros(Shape.of(3));
        refused(() -> ops.matmul(v, v), "[3]");
    }

    @Test
    void biasGammaAndBetaMustHaveOneEntryPerChannel() {
        // was: a longer vector was read in part without a word, a shorter one overran its array
        Tensor x = ops.zeros(Shape.of(1, 2, 2, 2));
        Tensor three = ops.zeros(Shape.of(3));
        refused(() -> ops.linear(ops.zeros(Shape.of(1, 2)), ops.zeros(Shape.of(2, 2)), three), "[3]", "[2, 2]");
        refused(() -> ops.conv2d(x, ops.zeros(Shape.of(2, 2, 1, 1)), three, 1, 0), "[3]", "[2, 2, 1, 1]");
        refused(() -> ops.groupNorm(x, 1, three, null, 1e-5f), "[3]", "[1, 2, 2, 2]");
        refused(() -> ops.groupNorm(x, 1, null, ops.zeros(Shape.of(1)), 1e-5f), "[1]", "[1, 2, 2, 2]");
        refused(() -> ops.layerNorm(x, three, null, 1e-5f), "[3]", "[1, 2, 2, 2]");
        refused(() -> ops.layerNorm(x, null, three, 1e-5f), "[3]", "[1, 2, 2, 2]");
    }

    @Test
    void emptyRowsAndEmptySumsDoNotDivideByZero() {
        // was: ArithmeticException (/ by zero) from "elements / row length" when a row is empty
        assertEquals(Shape.of(2, 0), ops.softmax(ops.zeros(Shape.of(2, 0))).shape());
        assertEquals(Shape.of(2, 0), ops.geglu(ops.zeros(Shape.of(2, 0))).shape());
        assertEquals(Shape.of(2, 0), ops.layerNorm(ops.zeros(Shape.of(2, 0)), null, null, 1e-5f).shape());
        // an empty sum is 0: linear over 0 inputs gives the bias, attention over 0 keys gives zeros
        Tensor bias = ops.fromArray(new float[] {1, 2, 3}, Shape.of(3));
        Tensor y = ops.linear(ops.zeros(Shape.of(2, 0)), ops.zeros(Shape.of(3, 0)), bias);
        assertExact("linear with in = 0", new float[] {1, 2, 3, 1, 2, 3}, ops.toArray(y));
        Tensor q = ops.full(Shape.of(1, 2, 4), 1f);
        Tensor k = ops.zeros(Shape.of(1, 0, 4));
        assertExact("attention with nk = 0", new float[8], ops.toArray(ops.attention(q, k, k, 2, false)));
        Tensor conv = ops.conv2d(ops.zeros(Shape.of(1, 0, 3, 3)), ops.zeros(Shape.of(2, 0, 3, 3)), null, 1, 1);
        assertExact("conv2d with no input channels", new float[18], ops.toArray(conv));
    }

    @Test
    void fp8E4M3NegativeZeroStaysNegative() {
        // was: 0x80 read as +0.0 (an int sign times a zero magnitude)
        Tensor t = ops.fromBytes(MemorySegment.ofArray(new byte[] {(byte) 0x80, (byte) 0x81}),
                DType.F8_E4M3, Shape.of(2));
        assertExact("F8_E4M3 -0 and -2^-9", new float[] {-0.0f, -0x1p-9f}, ops.toArray(t));
    }

    @Test
    void badArgumentsAreRefusedWithWhatWasExpected() {
        // was: IllegalStateException ("kernel produced ..."), ArithmeticException, ArrayIndexOutOfBoundsException,
        // messages without the shapes, or (a kernel one pixel too large at stride 2) a made-up output row
        refused(() -> ops.fromArray(new float[5], Shape.of(2, 3)), "5", "[2, 3]");
        Tensor x = ops.zeros(Shape.of(1, 1, 2, 2));
        Tensor w3 = ops.zeros(Shape.of(1, 1, 3, 3));
        refused(() -> ops.conv2d(x, w3, null, 2, 0), "[1, 1, 2, 2]", "[1, 1, 3, 3]");
        refused(() -> ops.conv2d(x, w3, null, 0, 1), "stride 0");
        refused(() -> ops.conv2d(x, w3, null, 1, -1), "padding -1");
        refused(() -> ops.groupNorm(ops.zeros(Shape.of(1, 4, 2)), 3, null, null, 1e-5f), "[1, 4, 2]", "3 groups");
        refused(() -> ops.groupNorm(ops.zeros(Shape.of(1, 4, 2)), 0, null, null, 1e-5f), "[1, 4, 2]", "0 groups");
        refused(() -> ops.pad2d(x, -1, 0, 0, 0), "left -1");
        Tensor q = ops.zeros(Shape.of(1, 3, 4));
        refused(() -> ops.attention(q, q, q, 0, false), "[1, 3, 4]", "heads 0");
        refused(() -> ops.attention(ops.zeros(Shape.of(3, 4)), q, q, 1, false), "[3, 4]");
        refused(() -> ops.embedding(ops.zeros(Shape.of(4, 2, 1)), new int[] {0}), "[4, 2, 1]");
        refused(() -> ops.linear(ops.zeros(Shape.of(2, 3)), ops.zeros(Shape.of(2, 3, 1)), null), "[2, 3]", "[2, 3, 1]");
    }

    @Test
    void tensorsOfAnotherBackendAreRefused() {
        // was: ClassCastException from toF32, cast, toBytes and embedding
        Tensor foreign = new ReferenceOps().zeros(Shape.of(2, 2));
        refused(() -> ops.toF32(foreign), "does not belong");
        refused(() -> ops.cast(foreign, DType.F16), "does not belong");
        refused(() -> ops.toBytes(foreign), "does not belong");
        refused(() -> ops.embedding(foreign, new int[] {0}), "does not belong");
        refused(() -> ops.toArray(new CpuOps().zeros(Shape.of(1))), "does not belong");
    }
}
