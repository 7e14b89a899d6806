package io.stipple.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.testing.ReferenceOps;
import io.stipple.tensor.testing.TensorAssert;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * The same random inputs on the backend under test and on {@link ReferenceOps}, and the comparison
 * of their results. Inputs of a storage dtype are made once as bytes and read by both backends.
 */
final class TwinInputs {
    /** The values drawn: a standard normal, or kept away from zero (divisors), or positive (log, sqrt). */
    enum Kind { NORMAL, AWAY_FROM_ZERO, POSITIVE }

    /** An input on both backends. */
    record Twin(Tensor actual, Tensor expected) {
        Shape shape() {
            return expected.shape();
        }
    }

    private final Ops ops;
    private final ReferenceOps reference;
    private final Random random;
    private final String label;

    /** {@code configuration} names the backend's set-up in failure messages. */
    TwinInputs(Ops ops, ReferenceOps reference, long seed, String configuration) {
        this.ops = ops;
        this.reference = reference;
        this.random = new Random(seed);
        this.label = " (" + ops.name() + ", " + configuration + ", vs reference)";
    }

    Twin normal(DType dtype, double scale, int... dims) {
        return draw(dtype, Kind.NORMAL, scale, 0, dims);
    }

    /** Values scale·N(0, 1) + offset (or of the given kind), stored as {@code dtype}. */
    Twin draw(DType dtype, Kind kind, double scale, double offset, int... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[shape.size()];
        for (int i = 0; i < v.length; i++) {
            double g = random.nextGaussian();
            v[i] = (float) (offset + scale * switch (kind) {
                case NORMAL -> g;
                case AWAY_FROM_ZERO -> Math.copySign(0.5 + Math.abs(g), g);
                case POSITIVE -> 0.1 + Math.abs(g);
            });
        }
        return twin(v, dtype, shape);
    }

    /** {@code values} rounded to {@code dtype} (by the reference) on both backends. */
    Twin twin(float[] values, DType dtype, Shape shape) {
        if (dtype == DType.F32) {
            return new Twin(ops.fromArray(values, shape), reference.fromArray(values, shape));
        }
        MemorySegment bytes = reference.toBytes(reference.cast(reference.fromArray(values, shape), dtype));
        return bytes(bytes, dtype, shape);
    }

    /** The same bytes read by both backends. */
    Twin bytes(MemorySegment bytes, DType dtype, Shape shape) {
        return new Twin(ops.fromBytes(bytes, dtype, shape), reference.fromBytes(bytes, dtype, shape));
    }

    Random random() {
        return random;
    }

    /** Same shape, float32, and every value within {@code relTol} of the reference's largest |value|. */
    void assertClose(String what, double relTol, Tensor actual, Tensor expected) {
        assertEquals(expected.shape(), actual.shape(), what + label + ": shape");
        assertEquals(DType.F32, actual.dtype(), what + label + ": dtype");
        TensorAssert.assertCloseRelative(what + label, reference.toArray(expected),
                ops.toArray(actual), relTol);
    }

    /** Same shape and the same float32 values, bit for bit. */
    void assertExact(String what, Tensor actual, Tensor expected) {
        assertEquals(expected.shape(), actual.shape(), what + label + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + label + ": dtype");
        TensorAssert.assertExact(what + label, reference.toArray(expected), ops.toArray(actual));
    }
}
