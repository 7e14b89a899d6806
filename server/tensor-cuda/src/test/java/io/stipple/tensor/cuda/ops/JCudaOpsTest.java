package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.contract.KnownValuesSuite;
import io.stipple.tensor.contract.OpsContractTest;
import io.stipple.tensor.cuda.device.JCudaDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/** CudaOps on the GPU (cuBLAS and the fatbin): the same contract and suites as on the emulated device; runs with {@code -Dgpu}. */
@Tag("gpu")
class JCudaOpsTest {
    /** Opened on first use, so that merely loading this class on a machine without a GPU does nothing. */
    private static final class Gpu {
        static final CudaOps OPS = new CudaOps(JCudaDevice.open(0));
    }

    @Nested
    class Contract extends OpsContractTest {
        @Override
        protected Ops ops() {
            return Gpu.OPS;
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
            return Gpu.OPS;
        }
    }
}
