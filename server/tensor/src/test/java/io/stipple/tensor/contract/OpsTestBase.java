package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.testing.TensorAssert;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.function.Executable;

/**
 * What the known-value suites share: the backend under test, tensors written inline, and checks of
 * values, shapes and refusals. A backend runs the suites by extending each one (JUnit's
 * {@code @Nested} inner classes, as {@code CpuOpsTest} does) and returning itself from {@link #ops()}.
 */
public abstract class OpsTestBase {

    /** The backend under test. */
    protected abstract Ops ops();

    protected static int[] dims(int... dims) {
        return dims;
    }

    protected static float[] floats(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    /** A float32 tensor of the given dimensions and values, on the backend under test. */
    protected Tensor tensor(int[] dims, double... values) {
        return ops().fromArray(floats(values), Shape.of(dims));
    }

    /** A tensor stored as {@code dtype}: each code is one element's bits, written little-endian. */
    protected Tensor stored(DType dtype, int[] dims, long... codes) {
        return ops().fromBytes(littleEndian(dtype, codes), dtype, Shape.of(dims));
    }

    protected static MemorySegment littleEndian(DType dtype, long... codes) {
        int size = dtype.byteSize();
        byte[] bytes = new byte[codes.length * size];
        for (int i = 0; i < codes.length; i++) {
            for (int b = 0; b < size; b++) {
                bytes[i * size + b] = (byte) (codes[i] >>> (8 * b));
            }
        }
        return MemorySegment.ofArray(bytes);
    }

    /** The result is a float32 tensor of shape {@code dims} whose values are within {@code tol} of {@code expected}. */
    protected void assertValues(String what, Tensor actual, int[] dims, double tol, double... expected) {
        assertEquals(Shape.of(dims), actual.shape(), what + ": shape");
        assertEquals(DType.F32, actual.dtype(), what + ": dtype");
        TensorAssert.assertClose(what, floats(expected), ops().toArray(actual), tol);
    }

    /** As {@link #assertValues}, bit for bit (so -0.0 differs from 0.0, and NaN equals NaN). */
    protected void assertExactValues(String what, Tensor actual, int[] dims, double... expected) {
        assertEquals(Shape.of(dims), actual.shape(), what + ": shape");
        TensorAssert.assertExact(what, floats(expected), ops().toArray(actual));
    }

    /** The call is refused with an IllegalArgumentException whose message mentions each of {@code mentions}. */
    protected static void assertRefused(Executable call, Object... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (Object m : mentions) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(m.toString()),
                    "message \"" + e.getMessage() + "\" should mention " + m);
        }
    }
}
