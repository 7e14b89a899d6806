package io.stipple.tensor;

import java.util.Arrays;

/** The dimensions of a tensor, outermost first, as torch writes them: {@code [batch, channels, h, w]}. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** A shape from dimensions given as longs (file headers), refusing any that do not fit an int. */
    public static Shape ofLongs(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension " + dims[i] + " out of range in " + Arrays.toString(dims));
            }
            d[i] = (int) dims[i];
        }
        return new Shape(d);
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end, as in torch. */
    public int dim(int axis) {
        return dims[normalize(axis)];
    }

    public int normalize(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for " + this);
        }
        return a;
    }

    public long numel() {
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Element count as an int, for tensors that live in one Java array. */
    public int size() {
        return Math.toIntExact(numel());
    }

    public int[] dims() {
        return dims.clone();
    }

    /** This shape with dimension {@code axis} replaced. */
    public Shape with(int axis, int size) {
        int[] d = dims.clone();
        d[normalize(axis)] = size;
        return new Shape(d);
    }

    /** Product of the dimensions from {@code from} (inclusive) to {@code to} (exclusive). */
    public long product(int from, int to) {
        long n = 1;
        for (int i = from; i < to; i++) {
            n *= dims[i];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
