package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.Shape;
import io.stipple.tensor.cuda.device.Kernel;

/**
 * One {@code strided_copy} launch's walk: a box of {@code dims} read at {@code inStrides} and written
 * at {@code outStrides} (in elements), the layout ops' common form. {@link #meta()} pads all three on
 * the left to the kernel's rank.
 */
record StridedBox(int[] dims, int[] inStrides, int[] outStrides) {
    StridedBox {
        if (dims.length > Kernel.MAX_RANK) {
            throw new IllegalArgumentException("a layout op on " + dims.length + " dimensions (expected: at most " + Kernel.MAX_RANK + ")");
        }
    }

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

    /** dims (padded with 1s), in strides, out strides (padded with 0s), as the kernel reads them. */
    int[] meta() {
        int r = Kernel.MAX_RANK;
        int[] meta = new int[3 * r];
        int pad = r - dims.length;
        for (int i = 0; i < r; i++) {
            meta[i] = i < pad ? 1 : dims[i - pad];
            meta[r + i] = i < pad ? 0 : inStrides[i - pad];
            meta[2 * r + i] = i < pad ? 0 : outStrides[i - pad];
        }
        return meta;
    }
}
