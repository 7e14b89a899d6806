package io.stipple.tensor.cpu;

/** Group norm, layer norm and softmax; statistics are accumulated in double. */
final class Normalization {
    private Normalization() {}

    /** x is (n, c, spatial) flattened; gamma/beta per channel (may be null). */
    static float[] groupNorm(FloatPool pool, float[] x, int n, int c, int spatial, int groups, float[] gamma, float[] beta, float eps) {
        if (c % groups != 0) {
            throw new IllegalArgumentException("group norm: " + c + " channels do not split into " + groups + " groups");
        }
        float[] out = pool.take(x.length);
        int perGroup = c / groups;
        int groupSize = perGroup * spatial;
        Parallel.forRange(n * groups, groupSize, (from, to) -> {
            for (int ng = from; ng < to; ng++) {
                int start = ng * groupSize;
                double sum = 0;
                for (int i = 0; i < groupSize; i++) {
                    sum += x[start + i];
                }
                double mean = sum / groupSize;
                double sq = 0;
                for (int i = 0; i < groupSize; i++) {
                    double d = x[start + i] - mean;
                    sq += d * d;
                }
                float inv = (float) (1.0 / Math.sqrt(sq / groupSize + eps));
                float m = (float) mean;
                int g = ng % groups;
                for (int ch = 0; ch < perGroup; ch++) {
                    int channel = g * perGroup + ch;
                    float gm = gamma == null ? 1f : gamma[channel];
                    float bt = beta == null ? 0f : beta[channel];
                    int o = start + ch * spatial;
                    for (int p = 0; p < spatial; p++) {
                        out[o + p] = (x[o + p] - m) * inv * gm + bt;
                    }
                }
            }
        });
        return out;
    }

    static float[] layerNorm(FloatPool pool, float[] x, int dim, float[] gamma, float[] beta, float eps) {
        float[] out = pool.take(x.length);
        int rows = dim == 0 ? 0 : x.length / dim;
        Parallel.forRange(rows, dim, (from, to) -> {
            for (int r = from; r < to; r++) {
                int o = r * dim;
                double sum = 0;
                for (int i = 0; i < dim; i++) {
                    sum += x[o + i];
                }
                double mean = sum / dim;
                double sq = 0;
                for (int i = 0; i < dim; i++) {
                    double d = x[o + i] - mean;
                    sq += d * d;
                }
                float inv = (float) (1.0 / Math.sqrt(sq / dim + eps));
                float m = (float) mean;
                for (int i = 0; i < dim; i++) {
                    float v = (x[o + i] - m) * inv;
                    out[o + i] = v * (gamma == null ? 1f : gamma[i]) + (beta == null ? 0f : beta[i]);
                }
            }
        });
        return out;
    }

    /** Softmax of each row of {@code cols} values, in place, over rows [from, to). */
    static void softmaxRows(float[] x, int offset, int from, int to, int cols) {
        VectorMath.softmaxRows(x, offset, from, to, cols);
    }
}
