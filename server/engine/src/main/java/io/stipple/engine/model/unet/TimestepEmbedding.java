package io.stipple.engine.model.unet;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;

/**
 * openaimodel.py's {@code timestep_embedding}: sinusoids of the timestep, cosines first then sines,
 * frequencies exp(−ln(10000)·i/half). Also SDXL's size embedding ({@code Timestep(256)}).
 */
public final class TimestepEmbedding {
    private static final double MAX_PERIOD = 10000.0;

    private TimestepEmbedding() {}

    /** (values.length, dim) embedding of {@code values}. */
    public static Tensor embed(Ops ops, float[] values, int dim) {
        int half = dim / 2;
        float[] freqs = new float[half];
        // torch computes exp(-log(max_period) * arange(half) / half) on float32 tensors: round as it does
        float logPeriod = (float) -Math.log(MAX_PERIOD);
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(logPeriod * i / half);
        }
        float[] out = new float[values.length * dim];
        for (int b = 0; b < values.length; b++) {
            for (int i = 0; i < half; i++) {
                float arg = values[b] * freqs[i];
                out[b * dim + i] = (float) Math.cos(arg);
                out[b * dim + half + i] = (float) Math.sin(arg);
            }
        }
        return ops.fromArray(out, Shape.of(values.length, dim));
    }
}
