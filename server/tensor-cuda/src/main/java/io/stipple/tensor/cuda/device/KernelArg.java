package io.stipple.tensor.cuda.device;

/** One argument of a kernel launch, typed as the kernel's C signature declares it. */
public sealed interface KernelArg {
    /** A device pointer ({@code const float*}, ...); a null buffer passes NULL. */
    record Pointer(DeviceBuffer buffer) implements KernelArg {}

    /** {@code int}. */
    record Int(int value) implements KernelArg {}

    /** {@code long long}. */
    record Long(long value) implements KernelArg {}

    /** {@code float}. */
    record Float(float value) implements KernelArg {}

    /**
     * A struct of ints passed by value ({@code StridedMeta}): small launch descriptions travel in the
     * launch's parameters instead of a copy to device memory, which would wait for the stream.
     */
    record Ints(int[] values) implements KernelArg {}

    static KernelArg of(DeviceBuffer b) {
        return new Pointer(b);
    }

    static KernelArg of(int v) {
        return new Int(v);
    }

    static KernelArg of(long v) {
        return new Long(v);
    }

    static KernelArg of(float v) {
        return new Float(v);
    }
}
