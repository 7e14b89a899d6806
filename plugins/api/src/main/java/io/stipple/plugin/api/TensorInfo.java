package io.stipple.plugin.api;

import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;

/** A tensor's name, element type and shape, as a checkpoint declares them (no data read). */
public record TensorInfo(String name, DType dtype, Shape shape) {

    public long byteSize() {
        return shape.numel() * dtype.byteSize();
    }
}
