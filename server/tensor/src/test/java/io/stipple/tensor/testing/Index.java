package io.stipple.tensor.testing;

/** Row-major flat indices to coordinates and back, for the reference's one-element-at-a-time loops. */
final class Index {
    private Index() {}

    static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        return idx;
    }

    static int ravel(int[] idx, int[] dims) {
        int flat = 0;
        for (int d = 0; d < dims.length; d++) {
            flat = flat * dims[d] + idx[d];
        }
        return flat;
    }

    static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
