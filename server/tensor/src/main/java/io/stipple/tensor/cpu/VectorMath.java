package io.stipple.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transcendental kernels that dominate a step outside the GEMMs (a 512×512 SD1.5 step takes
 * about a billion exponentials in attention's softmax), on the Vector API: its EXP lowers to SVML
 * (a few ulp), an order of magnitude faster than Math.exp per element. GELU's erf uses Abramowitz
 * and Stegun 7.1.26 (absolute error under 2e-7, far below float32 model tolerances).
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorMath() {}

    /** Softmax of each of the rows [from, to) of {@code cols} values starting at {@code offset}, in place. */
    static void softmaxRows(float[] x, int offset, int from, int to, int cols) {
        int upper = S.loopBound(cols);
        for (int r = from; r < to; r++) {
            int o = offset + r * cols;
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            int i = 0;
            for (; i < upper; i += L) {
                vmax = vmax.max(FloatVector.fromArray(S, x, o + i));
            }
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (; i < cols; i++) {
                max = Math.max(max, x[o + i]);
            }
            if (max == Float.NEGATIVE_INFINITY) {
                max = 0f; // a fully masked row: exp gives zeros, and the sum below is 0
            }
            FloatVector vsum = FloatVector.zero(S);
            for (i = 0; i < upper; i += L) {
                FloatVector e = FloatVector.fromArray(S, x, o + i).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(x, o + i);
                vsum = vsum.add(e);
            }
            double sum = vsum.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                float e = (float) Math.exp(x[o + i] - max);
                x[o + i] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (i = 0; i < upper; i += L) {
                FloatVector.fromArray(S, x, o + i).mul(inv).intoArray(x, o + i);
            }
            for (; i < cols; i++) {
                x[o + i] *= inv;
            }
        }
    }

    /** x · sigmoid(k · x) over [from, to): SiLU with k = 1, QuickGELU with k = 1.702. */
    static void sigmoidGate(float[] in, float[] out, int from, int to, float k) {
        int i = from;
        int upper = from + S.loopBound(to - from);
        for (; i < upper; i += L) {
            FloatVector x = FloatVector.fromArray(S, in, i);
            FloatVector e = x.mul(-k).lanewise(VectorOperators.EXP);
            x.div(e.add(1f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = (float) (in[i] / (1.0 + Math.exp(-k * in[i])));
        }
    }

    /** GELU with erf, over [from, to). */
    static void gelu(float[] in, float[] out, int from, int to) {
        int i = from;
        int upper = from + S.loopBound(to - from);
        for (; i < upper; i += L) {
            FloatVector x = FloatVector.fromArray(S, in, i);
            x.mul(erf(x.mul(0.70710678f)).add(1f)).mul(0.5f).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = Elementwise.gelu(in[i]);
        }
    }

    /** {@code a[i] · gelu(gate[i])}: GEGLU's second half gating its first. */
    static void geglu(float[] in, int aOff, int gateOff, float[] out, int outOff, int n) {
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += L) {
            FloatVector g = FloatVector.fromArray(S, in, gateOff + i);
            FloatVector gelu = g.mul(erf(g.mul(0.70710678f)).add(1f)).mul(0.5f);
            FloatVector.fromArray(S, in, aOff + i).mul(gelu).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = in[aOff + i] * Elementwise.gelu(in[gateOff + i]);
        }
    }

    /** Abramowitz and Stegun 7.1.26, odd-extended. */
    private static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = ax.mul(0.3275911f).add(1f);
        t = FloatVector.broadcast(S, 1f).div(t);
        FloatVector poly = t.mul(1.061405429f).add(-1.453152027f);
        poly = poly.mul(t).add(1.421413741f);
        poly = poly.mul(t).add(-0.284496736f);
        poly = poly.mul(t).add(0.254829592f);
        poly = poly.mul(t);
        FloatVector e = ax.mul(ax).neg().lanewise(VectorOperators.EXP);
        FloatVector y = poly.mul(e).neg().add(1f);
        return y.lanewise(VectorOperators.NEG, x.lt(0f));
    }
}
