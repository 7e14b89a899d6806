package io.stipple.tensor.testing;

/**
 * The reference's arithmetic kernels: the definitions written as loops, accumulating in double,
 * one output element at a time. Arguments are already checked by {@link ReferenceOps}.
 */
final class ReferenceKernels {
    private ReferenceKernels() {}

    /** (batch, m, k) · (batch, k, n). */
    static double[] matmul(float[] a, float[] b, int batch, int m, int k, int n) {
        double[] r = new double[batch * m * n];
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a[(t * m + i) * k + p] * b[(t * k + p) * n + j];
                    }
                    r[(t * m + i) * n + j] = s;
                }
            }
        }
        return r;
    }

    /** Rows of x (rows, in) times weightᵀ (out, in), plus bias. */
    static double[] linear(float[] x, float[] weight, float[] bias, int rows, int in, int out) {
        double[] r = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int p = 0; p < in; p++) {
                    s += (double) x[i * in + p] * weight[o * in + p];
                }
                r[i * out + o] = s;
            }
        }
        return r;
    }

    /** Direct convolution: out[b, o, y, x] = bias[o] + Σ w[o, c, i, j] · in[b, c, y·s + i − p, x·s + j − p]. */
    static double[] conv2d(float[] x, int n, int cin, int h, int w, float[] weight, int cout, int kh, int kw,
            float[] bias, int stride, int pad, int hout, int wout) {
        double[] r = new double[n * cout * hout * wout];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < cout; o++) {
                for (int oy = 0; oy < hout; oy++) {
                    for (int ox = 0; ox < wout; ox++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int c = 0; c < cin; c++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = oy * stride + i - pad;
                                    int ix = ox * stride + j - pad;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += (double) weight[((o * cin + c) * kh + i) * kw + j] * x[((b * cin + c) * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        r[((b * cout + o) * hout + oy) * wout + ox] = s;
                    }
                }
            }
        }
        return r;
    }

    /** (x − mean) / sqrt(var + eps) · gamma + beta over each group of channels; biased variance. */
    static double[] groupNorm(float[] x, int n, int c, int spatial, int groups, float[] gamma, float[] beta, double eps) {
        double[] r = new double[x.length];
        int per = c / groups * spatial;
        for (int b = 0; b < n; b++) {
            for (int g = 0; g < groups; g++) {
                int start = (b * c + g * (c / groups)) * spatial;
                double[] stats = meanAndVariance(x, start, per);
                for (int i = 0; i < per; i++) {
                    int channel = g * (c / groups) + i / spatial;
                    r[start + i] = affine((x[start + i] - stats[0]) / Math.sqrt(stats[1] + eps), gamma, beta, channel);
                }
            }
        }
        return r;
    }

    static double[] layerNorm(float[] x, int dim, float[] gamma, float[] beta, double eps) {
        double[] r = new double[x.length];
        for (int start = 0; start < x.length; start += dim) {
            double[] stats = meanAndVariance(x, start, dim);
            for (int i = 0; i < dim; i++) {
                r[start + i] = affine((x[start + i] - stats[0]) / Math.sqrt(stats[1] + eps), gamma, beta, i);
            }
        }
        return r;
    }

    private static double affine(double v, float[] gamma, float[] beta, int channel) {
        return v * (gamma == null ? 1 : gamma[channel]) + (beta == null ? 0 : beta[channel]);
    }

    /** Mean and biased variance (divided by the count, as torch's norms use). */
    private static double[] meanAndVariance(float[] x, int start, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += x[start + i];
        }
        double mean = sum / count;
        double sq = 0;
        for (int i = 0; i < count; i++) {
            sq += (x[start + i] - mean) * (x[start + i] - mean);
        }
        return new double[] {mean, sq / count};
    }

    /** exp(x − max) / Σ exp(x − max) over each row of {@code cols}. */
    static double[] softmax(float[] x, int cols) {
        double[] r = new double[x.length];
        for (int start = 0; start < x.length; start += cols) {
            double[] row = new double[cols];
            for (int i = 0; i < cols; i++) {
                row[i] = x[start + i];
            }
            System.arraycopy(softmaxRow(row), 0, r, start, cols);
        }
        return r;
    }

    private static double[] softmaxRow(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            e[i] = Math.exp(row[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < row.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    /**
     * softmax(q·kᵀ / sqrt(d)) · v per batch and head; causal drops keys after the query's position
     * (torch's {@code is_causal}: key j is seen by query i when j ≤ i).
     */
    static double[] attention(float[] q, float[] k, float[] v, int batch, int nq, int nk, int heads, int d, boolean causal) {
        int width = heads * d;
        double[] r = new double[batch * nq * width];
        double scale = 1 / Math.sqrt(d);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < nq; i++) {
                    int seen = causal ? Math.min(nk, i + 1) : nk;
                    double[] scores = new double[seen];
                    for (int j = 0; j < seen; j++) {
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += (double) q[(b * nq + i) * width + h * d + c] * k[(b * nk + j) * width + h * d + c];
                        }
                        scores[j] = s * scale;
                    }
                    double[] p = softmaxRow(scores);
                    for (int c = 0; c < d; c++) {
                        double s = 0;
                        for (int j = 0; j < seen; j++) {
                            s += p[j] * v[(b * nk + j) * width + h * d + c];
                        }
                        r[(b * nq + i) * width + h * d + c] = s;
                    }
                }
            }
        }
        return r;
    }
}
