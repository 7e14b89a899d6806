package io.stipple.tensor.cpu;

import io.stipple.tensor.DType;
import io.stipple.tensor.rules.FloatFormats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian stored elements to float32 arrays and back, element by element as {@link FloatFormats} converts them. */
final class Conversions {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Conversions() {}

    /** Reads {@code count} elements of {@code dtype} from {@code src} into {@code dst[dstOff..]}. */
    static void toFloats(MemorySegment src, DType dtype, float[] dst, int dstOff, int count) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, F32, 0, dst, dstOff, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = FloatFormats.f16ToFloat(src.getAtIndex(I16, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = FloatFormats.bf16ToFloat(src.getAtIndex(I16, i));
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = (float) src.getAtIndex(F64, i);
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = FloatFormats.e4m3ToFloat(src.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = FloatFormats.e5m2ToFloat(src.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = src.getAtIndex(I64, i);
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = src.getAtIndex(I32, i);
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = src.getAtIndex(I16, i);
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = src.get(ValueLayout.JAVA_BYTE, i);
                }
            }
            case U8, BOOL -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = src.get(ValueLayout.JAVA_BYTE, i) & 0xff;
                }
            }
        }
    }

    /** Writes {@code src} as {@code dtype} elements (float types round to nearest even). */
    static MemorySegment fromFloats(float[] src, DType dtype) {
        MemorySegment out = MemorySegment.ofArray(new byte[Math.multiplyExact(src.length, dtype.byteSize())]);
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, 0, out, F32, 0, src.length);
            case F16 -> {
                for (int i = 0; i < src.length; i++) {
                    out.setAtIndex(I16, i, FloatFormats.floatToF16(src[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < src.length; i++) {
                    out.setAtIndex(I16, i, FloatFormats.floatToBf16(src[i]));
                }
            }
            case F64 -> {
                for (int i = 0; i < src.length; i++) {
                    out.setAtIndex(F64, i, src[i]);
                }
            }
            default -> throw new IllegalArgumentException("cannot write float32 values as " + dtype);
        }
        return out;
    }
}
