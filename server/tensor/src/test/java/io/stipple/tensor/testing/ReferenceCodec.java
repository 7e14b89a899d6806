package io.stipple.tensor.testing;

import io.stipple.tensor.DType;

/** Little-endian elements of every {@link DType} to float32 values and back, byte by byte. */
final class ReferenceCodec {
    private ReferenceCodec() {}

    /** The {@code count} elements of {@code bytes} as float32 values (64-bit types rounded to nearest). */
    static float[] read(byte[] bytes, DType dtype, int count) {
        float[] out = new float[count];
        int size = dtype.byteSize();
        for (int i = 0; i < count; i++) {
            long bits = 0;
            for (int b = size - 1; b >= 0; b--) {
                bits = (bits << 8) | (bytes[i * size + b] & 0xff);
            }
            out[i] = switch (dtype) {
                case F64 -> (float) Double.longBitsToDouble(bits);
                case F32 -> Float.intBitsToFloat((int) bits);
                case F16 -> (float) FloatFormat.F16.decode((int) bits);
                case BF16 -> (float) FloatFormat.BF16.decode((int) bits);
                case F8_E4M3 -> (float) FloatFormat.F8_E4M3FN.decode((int) bits);
                case F8_E5M2 -> (float) FloatFormat.F8_E5M2.decode((int) bits);
                case I64 -> (float) bits;
                case I32 -> (float) (int) bits;
                case I16 -> (float) (short) bits;
                case I8 -> (float) (byte) bits;
                case U8 -> (float) bits;
                case BOOL -> bits != 0 ? 1f : 0f;
            };
        }
        return out;
    }

    /** {@code values} as little-endian {@code dtype} elements, rounding to nearest even. */
    static byte[] write(float[] values, DType dtype) {
        if (dtype != DType.F64 && dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("cast to " + dtype + " (expected: F64, F32, F16 or BF16)");
        }
        int size = dtype.byteSize();
        byte[] out = new byte[values.length * size];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            long bits = switch (dtype) {
                case F64 -> Double.doubleToRawLongBits(v);
                case F32 -> Float.floatToRawIntBits(v);
                case F16 -> FloatFormat.F16.encode(v);
                case BF16 -> FloatFormat.BF16.encode(v);
                default -> throw new AssertionError(dtype);
            };
            for (int b = 0; b < size; b++) {
                out[i * size + b] = (byte) (bits >>> (8 * b));
            }
        }
        return out;
    }
}
