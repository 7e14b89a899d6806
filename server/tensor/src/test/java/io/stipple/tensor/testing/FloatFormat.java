package io.stipple.tensor.testing;

/**
 * A small binary floating-point format (1 sign bit, {@code exponentBits}, {@code mantissaBits}),
 * decoded with the textbook formula and encoded by searching the ordered codes, so that it is
 * obviously right rather than fast: the reference's float16, bfloat16 and fp8 codec.
 *
 * @param ieee whether the all-ones exponent holds infinities and NaNs (IEEE 754); otherwise only the
 *     all-ones code of each sign is NaN and there are no infinities (fp8 "e4m3fn")
 */
public record FloatFormat(String name, int exponentBits, int mantissaBits, boolean ieee) {
    public static final FloatFormat F16 = new FloatFormat("F16", 5, 10, true);
    public static final FloatFormat BF16 = new FloatFormat("BF16", 8, 7, true);
    public static final FloatFormat F8_E4M3FN = new FloatFormat("F8_E4M3", 4, 3, false);
    public static final FloatFormat F8_E5M2 = new FloatFormat("F8_E5M2", 5, 2, true);

    private int bias() {
        return (1 << (exponentBits - 1)) - 1;
    }

    private int maxExponent() {
        return (1 << exponentBits) - 1;
    }

    private int signBit() {
        return 1 << (exponentBits + mantissaBits);
    }

    /** The value of a code (its low {@code 1 + exponentBits + mantissaBits} bits). */
    public double decode(int code) {
        boolean negative = (code & signBit()) != 0;
        int magnitude = code & (signBit() - 1);
        int exponent = magnitude >>> mantissaBits;
        int mantissa = magnitude & ((1 << mantissaBits) - 1);
        double v;
        if (ieee && exponent == maxExponent()) {
            v = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (!ieee && magnitude == signBit() - 1) {
            v = Double.NaN;
        } else {
            v = finiteMagnitude(magnitude);
        }
        return negative ? -v : v;
    }

    /**
     * The magnitude a code would have if its exponent field were an ordinary one: for the first
     * code past the largest finite value this is the next power of two, the point above which
     * IEEE rounding overflows to infinity.
     */
    private double finiteMagnitude(int magnitude) {
        int exponent = magnitude >>> mantissaBits;
        int mantissa = magnitude & ((1 << mantissaBits) - 1);
        if (exponent == 0) {
            return Math.scalb((double) mantissa, 1 - bias() - mantissaBits);
        }
        return Math.scalb((double) ((1 << mantissaBits) + mantissa), exponent - bias() - mantissaBits);
    }

    /** The code nearest {@code x}, ties to the even code, overflowing to infinity (IEEE formats only). */
    public int encode(double x) {
        if (!ieee) {
            throw new UnsupportedOperationException(name + " is read-only here");
        }
        int infinity = maxExponent() << mantissaBits;
        if (Double.isNaN(x)) {
            return infinity | (1 << (mantissaBits - 1));
        }
        int sign = Math.copySign(1.0, x) < 0 ? signBit() : 0;
        double a = Math.abs(x);
        if (a >= finiteMagnitude(infinity)) {
            return sign | infinity;
        }
        // positive codes are ordered like their values: find the last one not above a
        int lo = 0;
        int hi = infinity;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (finiteMagnitude(mid) <= a) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double below = a - finiteMagnitude(lo);
        double above = finiteMagnitude(lo + 1) - a;
        int code = below < above ? lo : above < below ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
        return sign | code;
    }
}
