package io.stipple.tensor.cpu;

/**
 * How many floats the banded kernels hold at once: the im2col column buffer of {@link Convolution}
 * and the score matrix of {@link Attention}. Tests shrink them so that small inputs take several bands.
 */
record Budgets(long columnFloats, long scoreFloats) {
    /** 64 MiB of columns, 32 MiB of scores (2048 queries × 4096 keys per band at 512×512). */
    static final Budgets DEFAULT = new Budgets(16L << 20, 8L << 20);

    Budgets {
        if (columnFloats < 1 || scoreFloats < 1) {
            throw new IllegalArgumentException("budgets: " + columnFloats + " column and " + scoreFloats
                    + " score floats (expected: at least 1 each)");
        }
    }
}
