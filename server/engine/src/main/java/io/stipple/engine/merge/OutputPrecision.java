package io.stipple.engine.merge;

import io.stipple.tensor.DType;

/** The element type a saved merge stores its floating-point tensors in; integer tensors stay as they are. */
public enum OutputPrecision {
    /** Each tensor as its source stores it (model A's type for blended weights). */
    KEEP(null),
    F32(DType.F32),
    F16(DType.F16),
    BF16(DType.BF16);

    private final DType dtype;

    OutputPrecision(DType dtype) {
        this.dtype = dtype;
    }

    /** The type a tensor stored as {@code stored} is written as. */
    public DType apply(DType stored) {
        return dtype == null || !stored.isFloatingPoint() ? stored : dtype;
    }
}
