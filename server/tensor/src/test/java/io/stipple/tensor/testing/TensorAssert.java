package io.stipple.tensor.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/**
 * Numeric comparisons that say, on failure, the first values of both sides and where the largest
 * difference is, so a failing golden test can be read without a debugger.
 */
public final class TensorAssert {
    private TensorAssert() {}

    /** Every |expected − actual| ≤ absTol. */
    public static void assertClose(String what, float[] expected, float[] actual, double absTol) {
        check(what, expected, actual, absTol, "absolute");
    }

    /** Every |expected − actual| ≤ relTol · max|expected| (relative to the tensor's largest value). */
    public static void assertCloseRelative(String what, float[] expected, float[] actual, double relTol) {
        double max = 0;
        for (float v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        check(what, expected, actual, relTol * Math.max(max, 1e-30), "relative " + relTol + " of max " + max);
    }

    /** Bit-for-bit equality. */
    public static void assertExact(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": " + expected.length + " values expected, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": first mismatch at [" + i + "]: expected " + expected[i] + " got " + actual[i]
                        + "\n  expected " + head(expected) + "\n  actual   " + head(actual)
                        + "\n  mismatches: " + countMismatches(expected, actual) + " of " + expected.length);
            }
        }
    }

    private static void check(String what, float[] expected, float[] actual, double tol, String kind) {
        if (expected.length != actual.length) {
            fail(what + ": " + expected.length + " values expected, got " + actual.length);
        }
        double worst = -1;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (Double.isNaN(d)) {
                d = Double.POSITIVE_INFINITY;
            }
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        if (worst > tol) {
            fail(String.format("%s: largest difference %.3g at [%d] (expected %s, got %s) exceeds %.3g (%s)%n  expected %s%n  actual   %s",
                    what, worst, at, expected[at], actual[at], tol, kind, head(expected), head(actual)));
        }
    }

    private static int countMismatches(float[] a, float[] b) {
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                n++;
            }
        }
        return n;
    }

    private static String head(float[] v) {
        return Arrays.toString(Arrays.copyOf(v, Math.min(8, v.length))) + (v.length > 8 ? " ..." : "");
    }
}
