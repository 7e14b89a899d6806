package io.stipple.tensor.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.contract.KnownValuesSuite;
import org.junit.jupiter.api.Test;

/** The reference itself against the known values (torch 1.13 and hand-worked), before anything is compared with it. */
class ReferenceOpsTest extends KnownValuesSuite {
    private final ReferenceOps ops = new ReferenceOps();

    @Override
    protected Ops ops() {
        return ops;
    }

    @Test
    void refusesTensorsOfAnotherBackend() {
        Tensor foreign = new ReferenceOps().zeros(Shape.of(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ops.toArray(foreign));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ops.add(ops.zeros(Shape.of(2)), foreign));
    }

    @Test
    void errorFunctionMatchesPython() {
        // Python's math.erf / math.erfc
        double[][] erf = {{0.5, 0.5204998778130465}, {1.9, 0.9927904292352575}, {-2.5, -0.999593047982555}, {0, 0}};
        for (double[] c : erf) {
            assertEquals(c[1], ReferenceMath.erf(c[0]), 2e-16, "erf(" + c[0] + ")");
        }
        double[][] erfc = {{3, 2.2090496998585438e-05}, {5, 1.5374597944280351e-12}, {10, 2.088487583762545e-45},
                {1.99, 0.004888586800383003}, {-1, 1.842700792949715}};
        for (double[] c : erfc) {
            // below 2 erfc is 1 − erf, which loses a few digits to cancellation (still far below float32's)
            assertEquals(c[1], ReferenceMath.erfc(c[0]), 1e-12 * c[1], "erfc(" + c[0] + ")");
        }
    }
}
