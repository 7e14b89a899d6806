package io.stipple.tensor.rules;

import io.stipple.tensor.Shape;

/** numpy's broadcasting, for every backend: shapes aligned on the right, each pair of sizes equal or one of them 1. */
public final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of a and b, or an exception naming both. */
    public static Shape shape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    /**
     * The row-major strides with which an operand of shape {@code s} is read at each axis of an
     * output of {@code outDims}: 0 along the axes it is broadcast over (and those it lacks).
     */
    public static int[] strides(Shape s, int[] outDims) {
        int rank = outDims.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int srcAxis = i - (rank - s.rank());
            int d = srcAxis < 0 ? 1 : s.dim(srcAxis);
            strides[i] = (d == 1 && outDims[i] != 1) ? 0 : stride;
            stride *= d;
        }
        return strides;
    }
}
