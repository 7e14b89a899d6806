package io.stipple.lora.lycoris;

import io.stipple.tensor.Shape;

/** numpy's (and torch's) broadcasting rules on declared shapes, so that patches are checked before any tensor is read. */
final class Broadcast {
    private Broadcast() {}

    /** The broadcast shape of {@code a} and {@code b}, or null where they do not broadcast. */
    static Shape of(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[i] = Math.max(da, db);
        }
        return Shape.of(out);
    }

    /** Whether {@code weight * operand} keeps the weight's shape (torch's in-place multiply). */
    static boolean fitsInPlace(Shape operand, Shape weight) {
        return weight.equals(of(weight, operand));
    }
}
