package io.stipple.tensor.random;

import java.util.Arrays;

/** Element counts of the shapes the generators are asked for. */
final class Shapes {
    private Shapes() {}

    /** The number of elements of {@code shape}; an empty shape is a scalar (one element), as in torch. */
    static int numel(String what, int[] shape) {
        if (shape == null) {
            throw new IllegalArgumentException(what + ": null (expected: an array of dimensions)");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(shape) + ": dimension " + d
                        + " (expected: >= 0)");
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(shape)
                        + ": too many elements (expected: at most " + (Integer.MAX_VALUE - 8) + ")");
            }
        }
        return (int) n;
    }
}
