package io.stipple.sampling.kdiffusion.math;

/**
 * torch's scalar functions on 0-dim float32 tensors. Samplers derive their coefficients from
 * float32 sigmas with such tensors, so each result is rounded to float32 before the next operation;
 * the function itself is computed in double and rounded once (within an ulp of glibc's float
 * functions, which torch calls on its scalar path).
 */
public final class F32 {
    private F32() {}

    public static float exp(float x) {
        return (float) Math.exp(x);
    }

    public static float log(float x) {
        return (float) Math.log(x);
    }

    public static float expm1(float x) {
        return (float) Math.expm1(x);
    }

    public static float sqrt(float x) {
        return (float) Math.sqrt(x);
    }

    public static float tan(float x) {
        return (float) Math.tan(x);
    }

    /**
     * {@code base ** exponent} for a float32 tensor and a Python number, as torch's pow kernel does
     * it: squares and square roots exactly, anything else through {@code std::pow} in double.
     */
    public static float pow(float base, double exponent) {
        if (exponent == 2.0) {
            return base * base;
        }
        if (exponent == 0.5) {
            return sqrt(base);
        }
        return (float) Math.pow(base, exponent);
    }

    /** torch.lerp: from the nearer end, so that weight 0 and 1 give the ends exactly. */
    public static float lerp(float start, float end, float weight) {
        if (Math.abs(weight) < 0.5f) {
            return start + weight * (end - start);
        }
        return end - (end - start) * (1f - weight);
    }
}
