package io.stipple.tensor.cpu;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Inputs that once crashed CpuOps or gave a wrong answer, each kept with its fix. */
class CpuOpsRegressionTest {
    private final CpuOps ops = new CpuOps();

    private static IllegalArgumentException refused(org.junit.jupiter.api.function.Executable call, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "\"" + e.getMessage() + "\" should mention " + m);
        }
        return e;
    }

    @Test
    void permuteTakesNegativeAxesAndRefusesRepeatedOnes() {
        // was: ArrayIndexOutOfBoundsException for -1, IllegalStateException for (0, 0)
        Tensor t = ops.fromArray(new float[] {0, 1, 2, 3, 4, 5}, Shape.of(1, 2, 3));
        Tensor p = ops.permute(t, -1, 0, 1);
        assertEquals(Shape.of(3, 1, 2), p.shape());
        assertExact("permute(-1, 0, 1)", new float[] {0, 3, 1, 4, 2, 5}, ops.toArray(p));
        refused(() -> ops.permute(t, 0, 0, 1), "[0, 0, 1]", "[1, 2, 3]");
        refused(() -> ops.permute(t, 0, 1, 3), "[0, 1, 3]", "[1, 2, 3]");
    }

    @Test
    void matmulRefusesLeadingDimensionsThatOnlyMultiplyAlike() {
        // was: (2, 3, 1, 2) · (3, 2, 2, 1) accepted as six products
        Tensor a = ops.zeros(Shape.of(2, 3, 1, 2));
        Tensor b = ops.zeros(Shape.of(3, 2, 2, 1));
        refused(() -> ops.matmul(a, b), "[2, 3, 1, 2]", "[3, 2, 2, 1]");
        Tensor v = ops.zeros(Shape.of(3));
        refused(() -> ops.matmul(v, v), "[3]");
    }
}
