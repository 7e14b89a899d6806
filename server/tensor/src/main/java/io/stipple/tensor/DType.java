package io.stipple.tensor;

import java.util.Locale;
import java.util.Optional;

/** Element types as checkpoints store them. Arithmetic happens in {@link #F32}; the others are storage. */
public enum DType {
    F64(8, true),
    F32(4, true),
    F16(2, true),
    BF16(2, true),
    /** 8-bit float, 4 exponent bits, no infinities (the "e4m3fn" of fp8 checkpoints). */
    F8_E4M3(1, true),
    /** 8-bit float, 5 exponent bits. */
    F8_E5M2(1, true),
    I64(8, false),
    I32(4, false),
    I16(2, false),
    I8(1, false),
    U8(1, false),
    BOOL(1, false);

    private final int byteSize;
    private final boolean floatingPoint;

    DType(int byteSize, boolean floatingPoint) {
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The name safetensors uses for this type ("F32", "BF16", "F8_E4M3", ...). */
    public String safetensorsName() {
        return name();
    }

    /** The type for a safetensors dtype name, if Stipple knows it. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name.toUpperCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
