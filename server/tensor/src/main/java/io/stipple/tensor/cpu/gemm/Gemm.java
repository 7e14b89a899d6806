package io.stipple.tensor.cpu.gemm;

import java.util.Optional;

/**
 * Single-precision general matrix multiply on row-major Java arrays, BLAS's {@code sgemm}:
 * {@code C = alpha · op(A) · op(B) + beta · C} where op(A) is m×k and op(B) is k×n.
 */
public interface Gemm {

    String name();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc);

    /** The fastest implementation available here: OpenBLAS when it loads, else the Java one. */
    static Gemm best() {
        return GemmSelection.BEST;
    }

    /** The Java Vector API GEMM (no native code), whatever else is installed. */
    static Gemm java() {
        return new VectorGemm();
    }

    /** OpenBLAS's sgemm, if the library loads on this machine. */
    static Optional<Gemm> openBlas() {
        return OpenBlasGemm.load();
    }
}
