package io.stipple.tensor.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.cuda.device.Kernel;
import io.stipple.tensor.testing.TensorAssert;
import java.util.Random;
import io.stipple.tensor.contract.KnownValuesSuite;
import io.stipple.tensor.contract.OpsContractTest;
import io.stipple.tensor.cuda.device.EmulatedDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * CudaOps on the emulated device: the whole backend contract against ReferenceOps and every
 * known-value suite, running the same kernels a GPU runs. CudaOps computes in float32 whatever
 * the inputs are stored as, so it is held to float32's tolerance throughout, as the CPU backend is.
 */
class EmulatedCudaOpsTest {
    /** One device for the whole class: loading the kernel library is the slow part. */
    private static final EmulatedDevice DEVICE = new EmulatedDevice();
    private static final CudaOps OPS = new CudaOps(DEVICE);

    @Nested
    class Contract extends OpsContractTest {
        @Override
        protected Ops ops() {
            return OPS;
        }

        @Override
        protected double tolerance(DType inputs) {
            return 1e-5;
        }
    }

    @Nested
    class KnownValues extends KnownValuesSuite {
        @Override
        protected Ops ops() {
            return OPS;
        }
    }

    /** Heads wider than the fused kernel holds (the VAE's single head of 512) go through the GEMM; the CPU is the reference. */
    @Test
    void attentionWithHeadsWiderThanTheFusedKernelMatchesTheCpu() {
        CpuOps cpu = new CpuOps();
        Random random = new Random(7);
        for (int heads : new int[] {1, 2}) {
            int d = Kernel.MAX_HEAD + 40;
            float[] q = gaussian(random, 2 * 37 * heads * d);
            float[] k = gaussian(random, 2 * 29 * heads * d);
            float[] v = gaussian(random, 2 * 29 * heads * d);
            float[] want = cpu.attention(cpu.fromArray(q, Shape.of(2, 37, heads * d)), cpu.fromArray(k, Shape.of(2, 29, heads * d)),
                    cpu.fromArray(v, Shape.of(2, 29, heads * d)), heads, false).toArray();
            Tensor got = OPS.attention(OPS.fromArray(q, Shape.of(2, 37, heads * d)), OPS.fromArray(k, Shape.of(2, 29, heads * d)),
                    OPS.fromArray(v, Shape.of(2, 29, heads * d)), heads, false);
            assertEquals(Shape.of(2, 37, heads * d), got.shape());
            TensorAssert.assertCloseRelative(heads + " heads of " + d, want, got.toArray(), 1e-5);
        }
        Tensor wide = OPS.zeros(Shape.of(1, 3, Kernel.MAX_HEAD + 8));
        var e = assertThrows(IllegalArgumentException.class, () -> OPS.attention(wide, wide, wide, 1, true));
        assertTrue(e.getMessage().contains("causal attention with heads of 168 channels (expected: at most 160)"), e.getMessage());
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
