package io.stipple.tensor.cpu;

import io.stipple.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian stored elements to float32 and back. */
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
                    dst[dstOff + i] = Float.float16ToFloat(src.getAtIndex(I16, i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = Float.intBitsToFloat(src.getAtIndex(I16, i) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = (float) src.getAtIndex(F64, i);
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOff + i] = e4m3ToFloat(src.get(ValueLayout.JAVA_BYTE, i));
                }
            }
            case F8_E5M2 -> {
                for (int i = 0; i < count; i++) {
                    // e5m2 is the top byte of a float16
                    dst[dstOff + i] = Float.float16ToFloat((short) (src.get(ValueLayout.JAVA_BYTE, i) << 8));
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
                    out.setAtIndex(I16, i, Float.floatToFloat16(src[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < src.length; i++) {
                    out.setAtIndex(I16, i, floatToBf16(src[i]));
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

    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40); // keep NaN a quiet NaN
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    private static float e4m3ToFloat(byte b) {
        int v = b & 0xff;
        int exp = (v >>> 3) & 0xf;
        int man = v & 0x7;
        if (exp == 0xf && man == 0x7) {
            return Float.NaN;
        }
        float magnitude = exp == 0
                ? man * 0x1p-9f // subnormal: man/8 · 2^-6
                : (1 + man / 8f) * (float) Math.scalb(1.0, exp - 7);
        // negated, not multiplied by an int sign: 0x80 is -0.0
        return (v & 0x80) != 0 ? -magnitude : magnitude;
    }
}
