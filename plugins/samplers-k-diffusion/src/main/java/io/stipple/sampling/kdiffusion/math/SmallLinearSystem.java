package io.stipple.sampling.kdiffusion.math;

/**
 * Solves a tiny dense system A·x = b in float32 by LU with partial pivoting, as LAPACK's
 * {@code sgesv} behind {@code torch.linalg.solve} does for UniPC's 2×2 and 3×3 systems.
 */
public final class SmallLinearSystem {
    private SmallLinearSystem() {}

    /** @param a row-major, n×n (not modified) */
    public static float[] solve(float[][] a, float[] b) {
        int n = b.length;
        if (a.length != n) {
            throw new IllegalArgumentException("matrix: " + a.length + " rows (expected: " + n + ", the length of b)");
        }
        float[][] lu = new float[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix row " + i + ": " + a[i].length + " columns (expected: " + n + ")");
            }
            lu[i] = a[i].clone();
        }
        float[] x = b.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int row = col + 1; row < n; row++) {
                if (Math.abs(lu[row][col]) > Math.abs(lu[pivot][col])) {
                    pivot = row;
                }
            }
            if (lu[pivot][col] == 0f) {
                throw new ArithmeticException("singular " + n + "x" + n + " system at column " + col);
            }
            if (pivot != col) {
                float[] rowSwap = lu[pivot];
                lu[pivot] = lu[col];
                lu[col] = rowSwap;
                float bSwap = x[pivot];
                x[pivot] = x[col];
                x[col] = bSwap;
            }
            for (int row = col + 1; row < n; row++) {
                float factor = lu[row][col] / lu[col][col];
                for (int k = col + 1; k < n; k++) {
                    lu[row][k] -= factor * lu[col][k];
                }
                x[row] -= factor * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--) {
            float sum = x[row];
            for (int k = row + 1; k < n; k++) {
                sum -= lu[row][k] * x[k];
            }
            x[row] = sum / lu[row][row];
        }
        return x;
    }
}
