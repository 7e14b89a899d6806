package io.stipple.engine.workflow;

import io.stipple.tensor.Tensor;

/** MASK: (1, h, w) floats in [0, 1] (LoadImage's second output). */
public record MaskValue(Tensor mask) implements Value {
    @Override
    public ValueType type() {
        return ValueType.MASK;
    }
}
