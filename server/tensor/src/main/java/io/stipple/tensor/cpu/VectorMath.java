package io.stipple.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transcendental kernels that dominate a step outside the GEMMs (a 512×512 SD1.5 step takes
 * about a billion exponentials in attention's softmax), on the Vector API, an order of magnitude
 * faster than Math.exp per element. The exponential is Cephes' expf polynomial (about 1 ulp) written
 * with adds, multiplies and fused multiply-adds only: the Vector API's own EXP and ADD reductions give
 * other last bits before and after the JIT compiles them, and a seed must give the same image on the
 * first request as on the hundredth. GELU's erf uses Abramowitz and Stegun 7.1.26 (absolute error
 * under 2e-7, far below float32 model tolerances).
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
                FloatVector e = exp(FloatVector.fromArray(S, x, o + i).sub(max));
                e.intoArray(x, o + i);
                vsum = vsum.add(e);
            }
            double sum = sumLanes(vsum);
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
            FloatVector e = exp(x.mul(-k));
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

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding and subtracting it rounds a float to the nearest integer (ties to even). */
    private static final float ROUNDER = 12582912f;

    /** e^x, Cephes' expf: x = n·ln2 + r, a degree-6 polynomial for e^r, then 2^n through the exponent bits. */
    static FloatVector exp(FloatVector x) {
        var underflow = x.lt(-87.33654f);
        var overflow = x.compare(VectorOperators.GT, 88.72283f);
        FloatVector xc = x.max(-87.33654f).min(88.72283f);
        FloatVector n = xc.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.mul(-LN2_HI).add(xc);
        r = n.mul(-LN2_LO).add(r);
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f);
        p = p.mul(r).add(8.3334519073e-3f);
        p = p.mul(r).add(4.1665795894e-2f);
        p = p.mul(r).add(1.6666665459e-1f);
        p = p.mul(r).add(5.0000001201e-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        // n is at most 128 here: build 2^n as two halves so that n = 128 stays finite where e^x still is
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector scaleA = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector scaleB = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector y = p.mul(scaleA).mul(scaleB);
        y = y.blend(0f, underflow);
        return y.blend(Float.POSITIVE_INFINITY, overflow);
    }

    /** The lanes' sum in lane order, the same before and after the JIT compiles it. */
    private static double sumLanes(FloatVector v) {
        float[] lanes = new float[L];
        v.intoArray(lanes, 0);
        double sum = 0;
        for (float f : lanes) {
            sum += f;
        }
        return sum;
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
        FloatVector e = exp(ax.mul(ax).neg());
        FloatVector y = poly.mul(e).neg().add(1f);
        return y.lanewise(VectorOperators.NEG, x.lt(0f));
    }
}
