package io.stipple.lora.lycoris;

/**
 * The orthogonal blocks of OFT and BOFT, as ComfyUI builds them from {@code oft_blocks}: Q = B − Bᵀ
 * (skew-symmetric), scaled down to norm alpha when alpha > 0 and the Frobenius norm of all blocks
 * together (+1e-8) exceeds it (LyCORIS' constrained OFT), then the Cayley transform
 * R = (I + Q)(I − Q)⁻¹. Computed in double on the host and rounded to float32 once: the blocks are
 * small, and torch's float32 LU inverse is itself within a few roundings of the exact one.
 */
final class CayleyRotations {
    private CayleyRotations() {}

    /**
     * @param blocks {@code count} square blocks of side {@code b}, row-major
     * @param alpha the constraint; 0 or less for none
     * @return the {@code count} rotations, row-major
     */
    static float[] of(float[] blocks, int count, int b, double alpha) {
        int bb = b * b;
        double[] q = new double[count * bb];
        double squares = 0;
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    // torch rounds B − Bᵀ to float32 before anything else
                    float v = blocks[k * bb + i * b + j] - blocks[k * bb + j * b + i];
                    q[k * bb + i * b + j] = v;
                    squares += (double) v * v;
                }
            }
        }
        if (alpha > 0) {
            double norm = Math.sqrt(squares) + 1e-8;
            if (norm > alpha) {
                for (int i = 0; i < q.length; i++) {
                    q[i] = q[i] * alpha / norm;
                }
            }
        }
        float[] out = new float[count * bb];
        double[] plus = new double[bb];
        double[] minus = new double[bb];
        for (int k = 0; k < count; k++) {
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double v = q[k * bb + i * b + j];
                    plus[i * b + j] = (i == j ? 1 : 0) + v;
                    minus[i * b + j] = (i == j ? 1 : 0) - v;
                }
            }
            double[] inv = inverse(minus, b);
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double s = 0;
                    for (int t = 0; t < b; t++) {
                        s += plus[i * b + t] * inv[t * b + j];
                    }
                    out[k * bb + i * b + j] = (float) s;
                }
            }
        }
        return out;
    }

    /** Gauss-Jordan with partial pivoting; I − Q of a real skew-symmetric Q is never singular. */
    private static double[] inverse(double[] m, int n) {
        double[] a = m.clone();
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            inv[i * n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[pivot * n + c])) {
                    pivot = r;
                }
            }
            swapRows(a, n, c, pivot);
            swapRows(inv, n, c, pivot);
            double d = a[c * n + c];
            for (int j = 0; j < n; j++) {
                a[c * n + j] /= d;
                inv[c * n + j] /= d;
            }
            for (int r = 0; r < n; r++) {
                double f = a[r * n + c];
                if (r != c && f != 0) {
                    for (int j = 0; j < n; j++) {
                        a[r * n + j] -= f * a[c * n + j];
                        inv[r * n + j] -= f * inv[c * n + j];
                    }
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] a, int n, int r1, int r2) {
        if (r1 == r2) {
            return;
        }
        for (int j = 0; j < n; j++) {
            double t = a[r1 * n + j];
            a[r1 * n + j] = a[r2 * n + j];
            a[r2 * n + j] = t;
        }
    }
}
