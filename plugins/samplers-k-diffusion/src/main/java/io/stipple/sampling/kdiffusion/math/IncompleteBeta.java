package io.stipple.sampling.kdiffusion.math;

/**
 * The regularized incomplete beta function I_x(a, b) and its inverse in x, which is the quantile
 * function of the Beta(a, b) distribution ({@code scipy.stats.beta.ppf}). Accurate to about
 * 1e-15, enough for ComfyUI's beta scheduler, which rounds {@code ppf · 999} to an integer.
 */
public final class IncompleteBeta {
    private static final int MAX_FRACTION_TERMS = 10_000;
    private static final double TINY = 1e-300;
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    };

    private IncompleteBeta() {}

    /** I_x(a, b) for 0 ≤ x ≤ 1 and a, b > 0. */
    public static double regularized(double x, double a, double b) {
        checkShape(a, b);
        if (!(x >= 0.0 && x <= 1.0)) {
            throw new IllegalArgumentException("x: " + x + " (expected: 0 ≤ x ≤ 1)");
        }
        if (x == 0.0 || x == 1.0) {
            return x;
        }
        // the continued fraction converges fast below the mean; above it, use I_x(a,b) = 1 − I_{1−x}(b,a)
        if (x < (a + 1.0) / (a + b + 2.0)) {
            return front(x, a, b) * continuedFraction(x, a, b) / a;
        }
        return 1.0 - front(1.0 - x, b, a) * continuedFraction(1.0 - x, b, a) / b;
    }

    /** The x in [0, 1] with I_x(a, b) = p. */
    public static double inverse(double p, double a, double b) {
        checkShape(a, b);
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException("p: " + p + " (expected: 0 ≤ p ≤ 1)");
        }
        if (p == 0.0 || p == 1.0) {
            return p;
        }
        if (a == b && p == 0.5) {
            // the exact median of a symmetric distribution; ComfyUI's schedule lands on 999 · 0.5
            // for even step counts, where any rounding error would pick the other neighbour
            return 0.5;
        }
        if (p > 0.5) {
            // solve for 1 − x where that quantity is small and carries the precision
            return 1.0 - bisect(1.0 - p, b, a);
        }
        return bisect(p, a, b);
    }

    /** Bisection to the last bit: I_x is increasing in x, so this cannot fail to converge. */
    private static double bisect(double p, double a, double b) {
        double lo = 0.0;
        double hi = 1.0;
        for (int i = 0; i < 1100; i++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (regularized(mid, a, b) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double fLo = p - regularized(lo, a, b);
        double fHi = regularized(hi, a, b) - p;
        return fLo <= fHi ? lo : hi;
    }

    /** x^a (1−x)^b / B(a, b), in logs to stay finite. */
    private static double front(double x, double a, double b) {
        double logBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
        return Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta);
    }

    /** The continued fraction of I_x(a, b) by the modified Lentz method. */
    private static double continuedFraction(double x, double a, double b) {
        double qab = a + b;
        double qap = a + 1.0;
        double qam = a - 1.0;
        double c = 1.0;
        double d = 1.0 - qab * x / qap;
        d = Math.abs(d) < TINY ? TINY : d;
        d = 1.0 / d;
        double h = d;
        for (int m = 1; m <= MAX_FRACTION_TERMS; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + aa * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1.0 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1.0 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + aa * d;
            d = Math.abs(d) < TINY ? TINY : d;
            c = 1.0 + aa / c;
            c = Math.abs(c) < TINY ? TINY : c;
            d = 1.0 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1.0) < 1e-16) {
                return h;
            }
        }
        throw new ArithmeticException("incomplete beta: no convergence for x=" + x + " a=" + a + " b=" + b);
    }

    /** ln Γ(z) for z > 0 (Lanczos, g = 7), with the reflection-free shift for z < 0.5. */
    static double logGamma(double z) {
        if (z < 0.5) {
            // Γ(z) = Γ(z + 1) / z keeps the series in its accurate range
            return logGamma(z + 1.0) - Math.log(z);
        }
        double zm = z - 1.0;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (zm + i);
        }
        double t = zm + 7.5;
        return 0.5 * Math.log(2.0 * Math.PI) + (zm + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    private static void checkShape(double a, double b) {
        if (!(a > 0.0) || !(b > 0.0)) {
            throw new IllegalArgumentException("beta shape: a=" + a + ", b=" + b + " (expected: both > 0)");
        }
    }
}
