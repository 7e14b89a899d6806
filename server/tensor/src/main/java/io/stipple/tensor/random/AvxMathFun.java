package io.stipple.tensor.random;

/**
 * The float logarithm, sine and cosine that torch's AVX2 {@code randn} kernel uses: the Cephes-based
 * polynomials of {@code avx_mathfun.h} (Pommier's sse_mathfun, ported to AVX by Garberoglio),
 * evaluated here one lane at a time with the same float operations in the same order. They are not
 * correctly rounded, so {@link Math#log} or {@link Math#sin} would differ from torch in the last bit
 * of many values; reproducing the polynomials gives torch's exact numbers.
 *
 * <p>The source writes separate multiplies and adds, but GCC builds that file with FMA enabled and
 * floating-point contraction on, so the torch binary fuses most multiply-add pairs into one rounding.
 * The {@link Math#fma} calls below are exactly the fused operations found in the machine code of
 * torch 1.13's AVX2 normal kernel; every other product is rounded on its own, as there. Writing them
 * as plain {@code a * b + c} changes the last bit of about one value in a hundred.
 */
final class AvxMathFun {
    private AvxMathFun() {}

    private static final float MIN_NORM_POS = Float.intBitsToFloat(0x00800000);
    private static final float SQRTHF = 0.707106781186547524f;
    private static final float LOG_P0 = 7.0376836292E-2f;
    private static final float LOG_P1 = -1.1514610310E-1f;
    private static final float LOG_P2 = 1.1676998740E-1f;
    private static final float LOG_P3 = -1.2420140846E-1f;
    private static final float LOG_P4 = 1.4249322787E-1f;
    private static final float LOG_P5 = -1.6668057665E-1f;
    private static final float LOG_P6 = 2.0000714765E-1f;
    private static final float LOG_P7 = -2.4999993993E-1f;
    private static final float LOG_P8 = 3.3333331174E-1f;
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;

    private static final float MINUS_DP1 = -0.78515625f;
    private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
    private static final float MINUS_DP3 = -3.77489497744594108e-8f;
    private static final float SINCOF_P0 = -1.9515295891E-4f;
    private static final float SINCOF_P1 = 8.3321608736E-3f;
    private static final float SINCOF_P2 = -1.6666654611E-1f;
    private static final float COSCOF_P0 = 2.443315711809948E-005f;
    private static final float COSCOF_P1 = -1.388731625493765E-003f;
    private static final float COSCOF_P2 = 4.166664568298827E-002f;
    private static final float FOPI = 1.27323954473516f; // 4 / pi

    /** {@code log256_ps} for one lane: natural logarithm, NaN for x <= 0. */
    static float log(float x) {
        boolean invalid = x <= 0f;
        x = Math.max(x, MIN_NORM_POS);
        int bits = Float.floatToRawIntBits(x);
        int exponent = (bits >>> 23) - 0x7f;
        // keep the mantissa, with the exponent of 0.5: x in [0.5, 1)
        x = Float.intBitsToFloat((bits & ~0x7f800000) | Float.floatToRawIntBits(0.5f));
        float e = (float) exponent + 1f;
        boolean small = x < SQRTHF;
        float tmp = small ? x : 0f;
        x = x - 1f;
        e = e - (small ? 1f : 0f);
        x = x + tmp;

        float z = x * x;
        float y = LOG_P0;
        y = Math.fma(y, x, LOG_P1);
        y = Math.fma(y, x, LOG_P2);
        y = Math.fma(y, x, LOG_P3);
        y = Math.fma(y, x, LOG_P4);
        y = Math.fma(y, x, LOG_P5);
        y = Math.fma(y, x, LOG_P6);
        y = Math.fma(y, x, LOG_P7);
        y = Math.fma(y, x, LOG_P8);
        y = y * x;
        y = Math.fma(y, z, e * LOG_Q1);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        x = Math.fma(e, LOG_Q2, x);
        return invalid ? Float.NaN : x;
    }

    /** {@code sincos256_ps} for one lane: writes sin(x) to {@code out[0]} and cos(x) to {@code out[1]}. */
    static void sincos(float x, float[] out) {
        int signSin = Float.floatToRawIntBits(x) & 0x80000000;
        x = Math.abs(x);
        int j = (int) (x * FOPI);
        j = (j + 1) & ~1;
        float y = (float) j;
        int swapSignSin = (j & 4) << 29;
        boolean polySin = (j & 2) == 0;

        // extended precision modular arithmetic: x = ((x - y * DP1) - y * DP2) - y * DP3
        x = Math.fma(y, MINUS_DP1, x);
        x = Math.fma(y, MINUS_DP2, x);
        x = Math.fma(y, MINUS_DP3, x);

        int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSignSin;

        float z = x * x;
        float yc = COSCOF_P0;
        yc = Math.fma(yc, z, COSCOF_P1);
        yc = Math.fma(yc, z, COSCOF_P2);
        yc = yc * z;
        yc = Math.fma(yc, z, -(z * 0.5f));
        yc = yc + 1f;

        float ys = SINCOF_P0;
        ys = Math.fma(ys, z, SINCOF_P1);
        ys = Math.fma(ys, z, SINCOF_P2);
        ys = ys * z;
        ys = Math.fma(ys, x, x);

        // both polynomials are evaluated; masks pick one for the sine and the other for the cosine
        float ysin2 = polySin ? ys : 0f;
        float ysin1 = polySin ? 0f : yc;
        ys = ys - ysin2;
        yc = yc - ysin1;
        float sin = ysin1 + ysin2;
        float cos = yc + ys;
        out[0] = Float.intBitsToFloat(Float.floatToRawIntBits(sin) ^ signSin);
        out[1] = Float.intBitsToFloat(Float.floatToRawIntBits(cos) ^ signCos);
    }
}
