package io.stipple.tensor.rules;

/**
 * The reduced-precision float formats as checkpoints store them, one element at a time, for every
 * backend (a device converts with the same rounding when it uploads or checks): float16 and
 * bfloat16 in both directions, rounding to nearest even; fp8 e4m3fn and e5m2 to float32.
 */
public final class FloatFormats {
    private FloatFormats() {}

    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    public static short floatToF16(float f) {
        return Float.floatToFloat16(f);
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** The nearest bfloat16 (ties to even); a NaN stays a quiet NaN. */
    public static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x40); // keep NaN a quiet NaN
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

    /** e4m3fn: 4 exponent bits (bias 7), 3 mantissa bits, no infinities, S.1111.111 the only NaN. */
    public static float e4m3ToFloat(byte b) {
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

    /** e5m2 is the top byte of a float16. */
    public static float e5m2ToFloat(byte b) {
        return Float.float16ToFloat((short) (b << 8));
    }
}
