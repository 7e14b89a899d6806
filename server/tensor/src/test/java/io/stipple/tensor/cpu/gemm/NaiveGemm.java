package io.stipple.tensor.cpu.gemm;

/** The textbook triple loop in double: the reference every GEMM is tested against. */
public final class NaiveGemm implements Gemm {
    @Override
    public String name() {
        return "naive";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) x * y;
                }
                int at = cOff + i * ldc + j;
                c[at] = (float) (alpha * s + (beta == 0f ? 0.0 : (double) beta * c[at]));
            }
        }
    }
}
