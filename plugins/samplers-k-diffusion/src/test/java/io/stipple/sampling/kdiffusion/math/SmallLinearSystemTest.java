package io.stipple.sampling.kdiffusion.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SmallLinearSystemTest {

    @Test
    void solvesWithPivoting() {
        // the first pivot is 0: only row exchange solves it
        float[][] a = {{0f, 2f, 1f}, {1f, 1f, 1f}, {2f, 1f, 3f}};
        float[] x = SmallLinearSystem.solve(a, new float[] {7f, 6f, 13f});
        assertArrayEquals(new float[] {1f, 2f, 3f}, x, 1e-6f);
        assertArrayEquals(new float[] {0f, 2f, 1f}, a[0], "the matrix was modified");
    }

    @Test
    void solvesUniPcsVandermondeSystem() {
        // rows rks^0, rks^1, rks^2 with rks = (-1.5, -0.7, 1): the corrector's system
        float[] rks = {-1.5f, -0.7f, 1f};
        float[][] r = {{1f, 1f, 1f}, rks, {rks[0] * rks[0], rks[1] * rks[1], 1f}};
        float[] b = {0.4f, 0.1f, 0.03f};
        float[] rho = SmallLinearSystem.solve(r, b);
        for (int i = 0; i < 3; i++) {
            float lhs = r[i][0] * rho[0] + r[i][1] * rho[1] + r[i][2] * rho[2];
            assertEquals(b[i], lhs, 1e-6f, "row " + i);
        }
    }

    @Test
    void refusesSingularAndMisshapenSystems() {
        assertEquals("singular 2x2 system at column 1", assertThrows(ArithmeticException.class,
                () -> SmallLinearSystem.solve(new float[][] {{1f, 2f}, {2f, 4f}}, new float[] {1f, 2f})).getMessage());
        assertEquals("matrix: 1 rows (expected: 2, the length of b)", assertThrows(IllegalArgumentException.class,
                () -> SmallLinearSystem.solve(new float[][] {{1f, 2f}}, new float[] {1f, 2f})).getMessage());
        assertEquals("matrix row 1: 1 columns (expected: 2)", assertThrows(IllegalArgumentException.class,
                () -> SmallLinearSystem.solve(new float[][] {{1f, 2f}, {1f}}, new float[] {1f, 2f})).getMessage());
    }
}
