package io.stipple.sampling.kdiffusion.math;

/**
 * {@code torch.linspace} in float32, element for element as torch 1.13's CPU kernel computes it.
 * The first half counts up from {@code start} and the second half down from {@code end}; the
 * scalar path rounds {@code start + step·i} once (the reference build contracts it to a fused
 * multiply-add), and blocks of 16 elements come from an 8-wide vector path that computes a fused
 * base and then adds {@code k·step} to it. Schedules of 16 or more steps differ in the last bit
 * if either detail is missed.
 */
public final class TorchLinspace {
    /** Elements per vector register in torch's AVX2 kernels; its loop takes two per iteration. */
    private static final int VECTOR = 8;

    private TorchLinspace() {}

    /** {@code steps} values from {@code start} to {@code end}; the ends are rounded to float32 first. */
    public static float[] of(double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps: " + steps + " (expected: at least 0)");
        }
        float[] out = new float[steps];
        float from = (float) start;
        float to = (float) end;
        if (steps == 0) {
            return out;
        }
        if (steps == 1) {
            out[0] = from;
            return out;
        }
        float step = (to - from) / (float) (steps - 1);
        int halfway = steps / 2;
        int i = 0;
        for (; i + 2 * VECTOR <= steps; i += VECTOR) {
            float base = scalar(from, to, step, steps, halfway, i);
            for (int k = 0; k < VECTOR; k++) {
                out[i + k] = base + (float) k * step;
            }
            i += VECTOR;
            base = scalar(from, to, step, steps, halfway, i);
            for (int k = 0; k < VECTOR; k++) {
                out[i + k] = base + (float) k * step;
            }
        }
        for (; i < steps; i++) {
            out[i] = scalar(from, to, step, steps, halfway, i);
        }
        return out;
    }

    private static float scalar(float from, float to, float step, int steps, int halfway, int i) {
        return i < halfway ? Math.fma(step, (float) i, from) : Math.fma(-step, (float) (steps - i - 1), to);
    }
}
