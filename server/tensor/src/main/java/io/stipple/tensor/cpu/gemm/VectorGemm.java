package io.stipple.tensor.cpu.gemm;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A blocked GEMM in plain Java with the Vector API, for machines without OpenBLAS. B is packed into
 * panels of {@code NR} columns along a block of k, A into strips of {@code MR} rows, and a register
 * tile of MR×NR accumulators walks the block (the Goto/BLIS scheme, without assembly).
 */
final class VectorGemm implements Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 4;
    private static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int NC = 64 * NR;

    @Override
    public String name() {
        return "Java Vector API (" + L + " lanes)";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
            float beta, float[] c, int cOff, int ldc) {
        scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0f) {
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] bPack = packB(transB, b, bOff, ldb, pc, kc, jc, nc);
                int strips = (m + MR - 1) / MR;
                int jcF = jc;
                int pcF = pc;
                IntStream.range(0, strips).parallel().forEach(s -> {
                    int i0 = s * MR;
                    int mr = Math.min(MR, m - i0);
                    float[] aPack = packA(transA, a, aOff, lda, i0, mr, pcF, kc, alpha);
                    for (int j0 = 0; j0 < nc; j0 += NR) {
                        int nr = Math.min(NR, nc - j0);
                        kernel(aPack, bPack, j0 * kc, kc, mr, nr, c, cOff + i0 * ldc + jcF + j0, ldc);
                    }
                });
            }
        }
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0f ? 0f : c[row + j] * beta;
            }
        }
    }

    /** B block (kc × nc) as consecutive panels of NR columns, each kc rows of NR floats (zero-padded). */
    private static float[] packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc) {
        int panels = (nc + NR - 1) / NR;
        float[] out = new float[panels * NR * kc];
        for (int p = 0; p < panels; p++) {
            int base = p * NR * kc;
            int cols = Math.min(NR, nc - p * NR);
            for (int kk = 0; kk < kc; kk++) {
                for (int j = 0; j < cols; j++) {
                    int col = jc + p * NR + j;
                    int row = pc + kk;
                    out[base + kk * NR + j] = transB ? b[bOff + col * ldb + row] : b[bOff + row * ldb + col];
                }
            }
        }
        return out;
    }

    /** A strip (mr × kc), k-major: for each k the MR values of the strip's rows, scaled by alpha. */
    private static float[] packA(boolean transA, float[] a, int aOff, int lda, int i0, int mr, int pc, int kc, float alpha) {
        float[] out = new float[MR * kc];
        for (int i = 0; i < mr; i++) {
            int row = i0 + i;
            for (int kk = 0; kk < kc; kk++) {
                float v = transA ? a[aOff + (pc + kk) * lda + row] : a[aOff + row * lda + pc + kk];
                out[kk * MR + i] = v * alpha;
            }
        }
        return out;
    }

    private static void kernel(float[] aPack, float[] bPack, int bBase, int kc, int mr, int nr, float[] c, int cBase, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++) {
            int bi = bBase + kk * NR;
            FloatVector b0 = FloatVector.fromArray(S, bPack, bi);
            FloatVector b1 = FloatVector.fromArray(S, bPack, bi + L);
            int ai = kk * MR;
            FloatVector a0 = FloatVector.broadcast(S, aPack[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, aPack[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, aPack[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, aPack[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // the accumulators leave registers only here, one row at a time
        store(c00, c01, 0, mr, nr, c, cBase, ldc);
        store(c10, c11, 1, mr, nr, c, cBase, ldc);
        store(c20, c21, 2, mr, nr, c, cBase, ldc);
        store(c30, c31, 3, mr, nr, c, cBase, ldc);
    }

    private static void store(FloatVector lo, FloatVector hi, int row, int mr, int nr, float[] c, int cBase, int ldc) {
        if (row >= mr) {
            return;
        }
        int at = cBase + row * ldc;
        if (nr == NR) {
            lo.add(FloatVector.fromArray(S, c, at)).intoArray(c, at);
            hi.add(FloatVector.fromArray(S, c, at + L)).intoArray(c, at + L);
            return;
        }
        float[] tile = new float[NR];
        lo.intoArray(tile, 0);
        hi.intoArray(tile, L);
        for (int j = 0; j < nr; j++) {
            c[at + j] += tile[j];
        }
    }
}
