package io.stipple.sampling.kdiffusion.samplers;

/**
 * k-diffusion's {@code linear_multistep_coeff}: the integral over [σ_i, σ_{i+1}] of the Lagrange
 * basis polynomial of node j through the last {@code order} sigmas. k-diffusion integrates it with
 * scipy's adaptive quadrature; the integrand is a polynomial of degree at most 3, which 4-point
 * Gauss–Legendre integrates exactly.
 */
final class LinearMultistep {
    private static final double[] NODES = {
        -0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526,
    };
    private static final double[] WEIGHTS = {
        0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538,
    };

    private LinearMultistep() {}

    static double coefficient(int order, float[] t, int i, int j) {
        if (order - 1 > i) {
            throw new IllegalArgumentException("order " + order + " too high for step " + i);
        }
        if (order > NODES.length + 1) {
            throw new IllegalArgumentException("order: " + order + " (expected: at most " + (NODES.length + 1) + ")");
        }
        double a = t[i];
        double b = t[i + 1];
        double center = 0.5 * (a + b);
        double half = 0.5 * (b - a);
        double sum = 0.0;
        for (int n = 0; n < NODES.length; n++) {
            sum += WEIGHTS[n] * basis(order, t, i, j, center + half * NODES[n]);
        }
        return sum * half;
    }

    private static double basis(int order, float[] t, int i, int j, double tau) {
        double product = 1.0;
        for (int k = 0; k < order; k++) {
            if (k == j) {
                continue;
            }
            // numpy: the float32 nodes subtract in float32; tau, a Python float, promotes to double
            float gap = t[i - j] - t[i - k];
            product *= (tau - t[i - k]) / gap;
        }
        return product;
    }
}
