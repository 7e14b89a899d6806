package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.Shape;
import io.stipple.tensor.cuda.device.Kernel;

/**
 * One {@code strided_copy} launch's walk: a box of {@code dims} read at {@code inStrides} and written
 * at {@code outStrides} (in elements), the layout ops' common form. {@link #meta()} pads all three on
 * the left to the kernel's rank.
 */
record StridedBox(int[] dims, int[] inStrides, int[] outStrides) {
    /** Row-major strides of a contiguous tensor of {@code s}. */
    static int[] contiguous(Shape s) {
        int[] strides = new int[s.rank()];
        int stride = 1;
        for (int i = s.rank() - 1; i >= 0; i--) {
            strides[i] = stride;
            stride *= s.dim(i);
        }
        return strides;
    }

    long count() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * dims (padded with 1s), in strides, out strides (padded with 0s), as the kernel reads them. Axes
     * of size 1 move nothing and are left out, so that a box of more dimensions than the kernel walks
     * (LoKr's Kronecker product broadcasts over eight) still fits when its larger axes do.
     */
    int[] meta() {
        int kept = 0;
        for (int d : dims) {
            kept += d == 1 ? 0 : 1;
        }
        int r = Kernel.MAX_RANK;
        if (kept > r) {
            throw new IllegalArgumentException("a layout or broadcasting op over " + kept + " dimensions larger than 1 (expected: at most " + r + ")");
        }
        int[] meta = new int[3 * r];
        java.util.Arrays.fill(meta, 0, r, 1);
        int at = r - kept;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != 1) {
                meta[at] = dims[i];
                meta[r + at] = inStrides[i];
                meta[2 * r + at] = outStrides[i];
                at++;
            }
        }
        return meta;
    }
}
