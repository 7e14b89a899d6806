package io.stipple.sampling.kdiffusion.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.sampling.kdiffusion.testing.Fixtures;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.api.Test;

class IncompleteBetaTest {

    /** Quantiles of Beta(0.6, 0.6) at 1 − i/n against mpmath at 50 digits. */
    @Test
    void inverseMatchesMpmath() {
        GoldenTensors fixture = Fixtures.read("scheduler_fixture.safetensors");
        for (int steps : new int[] {1, 2, 3, 20, 50, 150}) {
            long[] bits = fixture.longs("beta_ppf/" + steps);
            double spacing = 1.0 / steps;
            for (int i = 0; i < steps; i++) {
                double expected = Double.longBitsToDouble(bits[i]);
                double actual = IncompleteBeta.inverse(1.0 - i * spacing, 0.6, 0.6);
                assertEquals(expected, actual, 1e-13, "ppf(1 - " + i + "/" + steps + ")");
            }
        }
    }

    @Test
    void regularizedMatchesKnownValues() {
        // I_x(1, 1) = x; I_x(a, b) = 1 − I_{1−x}(b, a); I_x(0.5, 0.5) = (2/π)·asin(√x)
        assertEquals(0.3, IncompleteBeta.regularized(0.3, 1, 1), 1e-15);
        assertEquals(1 - IncompleteBeta.regularized(0.7, 3, 2), IncompleteBeta.regularized(0.3, 2, 3), 1e-15);
        assertEquals(2 / Math.PI * Math.asin(Math.sqrt(0.2)), IncompleteBeta.regularized(0.2, 0.5, 0.5), 1e-14);
        assertEquals(0.0, IncompleteBeta.regularized(0.0, 0.6, 0.6));
        assertEquals(1.0, IncompleteBeta.regularized(1.0, 0.6, 0.6));
    }

    @Test
    void inverseInvertsAndKeepsTheSymmetricMedianExact() {
        for (double p : new double[] {1e-9, 0.01, 0.3, 0.5, 0.77, 0.999999}) {
            double x = IncompleteBeta.inverse(p, 2.5, 0.7);
            assertEquals(p, IncompleteBeta.regularized(x, 2.5, 0.7), 1e-13, "p=" + p);
        }
        // ComfyUI's beta schedule rounds 999·0.5 = 499.5 to 500 for even step counts
        assertEquals(0.5, IncompleteBeta.inverse(0.5, 0.6, 0.6));
        assertEquals(0.0, IncompleteBeta.inverse(0.0, 0.6, 0.6));
        assertEquals(1.0, IncompleteBeta.inverse(1.0, 0.6, 0.6));
    }

    @Test
    void refusesArgumentsOutsideTheDomain() {
        assertEquals("p: 1.5 (expected: 0 ≤ p ≤ 1)",
                assertThrows(IllegalArgumentException.class, () -> IncompleteBeta.inverse(1.5, 0.6, 0.6)).getMessage());
        assertEquals("x: -0.1 (expected: 0 ≤ x ≤ 1)",
                assertThrows(IllegalArgumentException.class, () -> IncompleteBeta.regularized(-0.1, 1, 1)).getMessage());
        assertEquals("beta shape: a=0.0, b=1.0 (expected: both > 0)",
                assertThrows(IllegalArgumentException.class, () -> IncompleteBeta.regularized(0.5, 0, 1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> IncompleteBeta.inverse(Double.NaN, 0.6, 0.6));
    }
}
