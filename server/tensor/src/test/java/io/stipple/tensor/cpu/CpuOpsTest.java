package io.stipple.tensor.cpu;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.contract.KnownValuesSuite;
import io.stipple.tensor.cpu.gemm.Gemm;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CpuOps (with the GEMM it picks by itself) against the known values of every operation, and its own
 * shortcuts against its general paths: the 1×1 convolution without im2col, and the banded kernels.
 */
class CpuOpsTest extends KnownValuesSuite {
    private final CpuOps ops = new CpuOps();

    @Override
    protected Ops ops() {
        return ops;
    }

    private Tensor random(CpuOps on, long seed, int... dims) {
        Random r = new Random(seed);
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return on.fromArray(v, Shape.of(dims));
    }

    @Test
    void pointwiseFastPathAgreesWithTheGeneralPath() {
        // a 1×1 at stride 1 without padding is one GEMM on the input as it lies; padded by 1 it goes
        // through im2col, and so does a 3×3 that is zero but for its centre: all three must agree
        Tensor x = random(ops, 1, 2, 5, 6, 7);
        Tensor w = random(ops, 2, 4, 5, 1, 1);
        Tensor b = random(ops, 3, 4);
        float[] fast = ops.toArray(ops.conv2d(x, w, b, 1, 0));
        Tensor padded = ops.conv2d(x, w, b, 1, 1);
        float[] general = ops.toArray(ops.narrow(ops.narrow(padded, 2, 1, 6), 3, 1, 7));
        assertCloseRelative("1×1 padded by 1, interior", general, fast, 1e-6);
        Tensor centre = ops.pad2d(w, 1, 1, 1, 1);
        assertCloseRelative("3×3 with only a centre", ops.toArray(ops.conv2d(x, centre, b, 1, 1)), fast, 1e-6);
    }

    @Test
    void bandedConvolutionAgreesWithOneBand() {
        // 3×3 over 3 channels at width 7 needs 189 column floats per output row: 150 gives one row a band
        CpuOps banded = new CpuOps(ops.gemm(), new Budgets(150, Budgets.DEFAULT.scoreFloats()));
        for (int stride = 1; stride <= 2; stride++) {
            float[] one = ops.toArray(ops.conv2d(random(ops, 4, 2, 3, 9, 7), random(ops, 5, 4, 3, 3, 3),
                    null, stride, 1));
            float[] many = banded.toArray(banded.conv2d(random(banded, 4, 2, 3, 9, 7), random(banded, 5, 4, 3, 3, 3),
                    null, stride, 1));
            assertCloseRelative("stride " + stride + " in bands of one row", one, many, 1e-6);
        }
    }

    @Test
    void bandedAttentionAgreesWithOneBand() {
        // 40 score floats against 13 keys: three queries a band, six bands for 17 queries
        CpuOps banded = new CpuOps(ops.gemm(), new Budgets(Budgets.DEFAULT.columnFloats(), 40));
        for (boolean causal : new boolean[] {false, true}) {
            float[] one = ops.toArray(ops.attention(random(ops, 6, 2, 17, 12), random(ops, 7, 2, 13, 12),
                    random(ops, 8, 2, 13, 12), 3, causal));
            float[] many = banded.toArray(banded.attention(random(banded, 6, 2, 17, 12), random(banded, 7, 2, 13, 12),
                    random(banded, 8, 2, 13, 12), 3, causal));
            assertCloseRelative("causal " + causal + " in bands of three queries", one, many, 1e-6);
        }
    }

    @Test
    void budgetsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Budgets(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Budgets(1, -1));
    }

    @Test
    void gemmFactories() {
        assertTrue(Gemm.java().name().startsWith("Java Vector API"));
        Gemm.openBlas().ifPresent(g -> assertTrue(g.name().startsWith("OpenBLAS")));
    }
}
