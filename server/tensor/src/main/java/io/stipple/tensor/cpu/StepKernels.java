package io.stipple.tensor.cpu;

/** The model and sampler steps CpuOps runs as kernels: timestep embedding, prompt weighting, tile blending, dpm_adaptive's error. */
final class StepKernels {
    private static final double MAX_PERIOD = 10000.0;

    private StepKernels() {}

    /** Into {@code out} (values.length · dim, zeroed): cosines then sines, as openaimodel's timestep_embedding. */
    static float[] timestepEmbedding(float[] out, float[] values, int dim) {
        int half = dim / 2;
        float[] freqs = new float[half];
        // torch computes exp(-log(max_period) * arange(half) / half) on float32 tensors: round as it does
        float logPeriod = (float) -Math.log(MAX_PERIOD);
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(logPeriod * i / half);
        }
        for (int b = 0; b < values.length; b++) {
            for (int i = 0; i < half; i++) {
                float arg = values[b] * freqs[i];
                out[b * dim + i] = (float) Math.cos(arg);
                out[b * dim + half + i] = (float) Math.sin(arg);
            }
        }
        return out;
    }

    /** z (n, tokens, width) and empty (1, tokens, width), flat; one weight per (chunk, token). */
    static void weightTokens(float[] z, float[] empty, float[] weights, int tokens, int width, float[] out) {
        for (int row = 0; row < weights.length; row++) {
            int o = row * width;
            float w = weights[row];
            if (w == 1f) {
                System.arraycopy(z, o, out, o, width);
                continue;
            }
            int e = (row % tokens) * width;
            for (int c = 0; c < width; c++) {
                float ze = empty[e + c];
                out[o + c] = (z[o + c] - ze) * w + ze;
            }
        }
    }

    /** Adds a tile (channels, th, tw) at (oy, ox) with a mask ramping linearly over {@code feather} pixels at each edge. */
    static void accumulateTile(float[] tile, int channels, int th, int tw, int oy, int ox, int feather, float[] sum,
            float[] weight, int outH, int outW) {
        int plane = outH * outW;
        int tplane = th * tw;
        for (int y = 0; y < th; y++) {
            float my = ramp(y, th, feather);
            for (int x = 0; x < tw; x++) {
                float m = my * ramp(x, tw, feather);
                int o = (oy + y) * outW + ox + x;
                weight[o] += m;
                for (int c = 0; c < channels; c++) {
                    sum[c * plane + o] += tile[c * tplane + y * tw + x] * m;
                }
            }
        }
    }

    static void divideByWeight(float[] sum, float[] weight, int channels) {
        int plane = weight.length;
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                sum[c * plane + i] /= weight[i];
            }
        }
    }

    private static float ramp(int i, int n, int feather) {
        int fromEdge = Math.min(i, n - 1 - i);
        return fromEdge >= feather ? 1f : (fromEdge + 1f) / feather;
    }

    static double scaledErrorNorm(float[] low, float[] high, float[] previous, float atol, float rtol) {
        double sumSquares = 0.0;
        for (int i = 0; i < low.length; i++) {
            float delta = Math.max(atol, rtol * Math.max(Math.abs(low[i]), Math.abs(previous[i])));
            float scaled = (low[i] - high[i]) / delta;
            sumSquares += (double) scaled * scaled;
        }
        float norm = (float) Math.sqrt(sumSquares);
        return norm / (float) Math.sqrt(low.length);
    }
}
