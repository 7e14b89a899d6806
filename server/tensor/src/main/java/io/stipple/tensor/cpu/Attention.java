package io.stipple.tensor.cpu;

import io.stipple.tensor.cpu.gemm.Gemm;

/**
 * Scaled dot-product attention, one head at a time, over bands of queries so that the score
 * matrix stays bounded (4096 queries × 4096 keys is 64 MiB per head at 512×512).
 */
final class Attention {
    private Attention() {}

    /**
     * q (b, nq, heads·d), k and v (b, nk, heads·d), packed; the result has q's layout.
     * {@code scoreBudget}: the most floats of scores computed at once (a band of queries).
     */
    static float[] attention(FloatPool pool, Gemm gemm, long scoreBudget, float[] q, float[] k, float[] v,
            int batch, int nq, int nk, int heads, int d, boolean causal) {
        int width = heads * d;
        float[] out = pool.take(batch * nq * width);
        float scale = (float) (1.0 / Math.sqrt(d));
        int band = (int) Math.max(1, Math.min(nq, scoreBudget / Math.max(1, nk)));
        float[] scores = pool.take(band * nk);
        for (int b = 0; b < batch; b++) {
            int qBase = b * nq * width;
            int kBase = b * nk * width;
            for (int h = 0; h < heads; h++) {
                for (int q0 = 0; q0 < nq; q0 += band) {
                    int rows = Math.min(band, nq - q0);
                    // scores = scale · Q[q0:q0+rows, h] · K[:, h]ᵀ
                    gemm.sgemm(false, true, rows, nk, d, scale, q, qBase + q0 * width + h * d, width,
                            k, kBase + h * d, width, 0f, scores, 0, nk);
                    int first = q0;
                    Parallel.forRange(rows, nk, (from, to) -> {
                        if (causal) {
                            for (int r = from; r < to; r++) {
                                int o = r * nk;
                                for (int j = first + r + 1; j < nk; j++) {
                                    scores[o + j] = Float.NEGATIVE_INFINITY;
                                }
                            }
                        }
                        Normalization.softmaxRows(scores, 0, from, to, nk);
                    });
                    // out[q0:q0+rows, h] = scores · V[:, h]
                    gemm.sgemm(false, false, rows, d, nk, 1f, scores, 0, nk, v, kBase + h * d, width,
                            0f, out, qBase + q0 * width + h * d, width);
                }
            }
        }
        pool.give(scores);
        return out;
    }
}
