package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.contract.KnownValuesSuite;
import io.stipple.tensor.contract.OpsContractTest;
import io.stipple.tensor.cuda.device.EmulatedDevice;
import org.junit.jupiter.api.Nested;

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
}
