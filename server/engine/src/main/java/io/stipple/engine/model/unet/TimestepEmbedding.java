package io.stipple.engine.model.unet;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/**
 * openaimodel.py's {@code timestep_embedding}: sinusoids of the timestep, cosines first then sines,
 * frequencies exp(−ln(10000)·i/half). Also SDXL's size embedding ({@code Timestep(256)}).
 */
public final class TimestepEmbedding {
    private TimestepEmbedding() {}

    /** (values.length, dim) embedding of {@code values}, computed by the backend ({@link Ops#timestepEmbedding}). */
    public static Tensor embed(Ops ops, float[] values, int dim) {
        return ops.timestepEmbedding(values, dim);
    }
}
