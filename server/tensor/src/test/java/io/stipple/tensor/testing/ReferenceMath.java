package io.stipple.tensor.testing;

import io.stipple.tensor.UnaryOp;

/**
 * The unary functions in double precision from their definitions, with an error function from its
 * Taylor series and its continued fraction (slow, and plainly right to ~1e-15).
 */
public final class ReferenceMath {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ReferenceMath() {}

    public static double apply(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case SIGMOID -> sigmoid(x);
            case SILU -> x * sigmoid(x);
            case GELU -> gelu(x);
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case QUICK_GELU -> x * sigmoid(1.702 * x);
        };
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** x·Φ(x) = x·(1 + erf(x/√2))/2, torch's formula (it gives NaN at −∞, as torch does). */
    public static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    public static double erf(double z) {
        if (Math.abs(z) < 2) {
            return erfSeries(z);
        }
        return Math.signum(z) * (1 - erfc(Math.abs(z)));
    }

    public static double erfc(double z) {
        if (z < 0) {
            return 2 - erfc(-z);
        }
        return z < 2 ? 1 - erfSeries(z) : erfcContinuedFraction(z);
    }

    /** erf(z) = 2/√π Σ (−1)ⁿ z^(2n+1) / (n! (2n+1)). */
    private static double erfSeries(double z) {
        double sum = 0;
        double power = z; // (−1)ⁿ z^(2n+1) / n!
        for (int n = 0; n < 200; n++) {
            double term = power / (2 * n + 1);
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
            power *= -z * z / (n + 1);
        }
        return TWO_OVER_SQRT_PI * sum;
    }

    /** erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + ...)))), evaluated from the tail, for z ≥ 2. */
    private static double erfcContinuedFraction(double z) {
        double t = z;
        for (int n = 2000; n >= 1; n--) {
            t = z + (n / 2.0) / t;
        }
        return Math.exp(-z * z) / (Math.sqrt(Math.PI) * t);
    }
}
