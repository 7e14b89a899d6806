package io.stipple.tensor.cuda.device;

import org.junit.jupiter.api.Tag;

/** The same kernels on the GPU, from the fatbin nvcc built: runs with {@code -Dgpu} on a machine with one. */
@Tag("gpu")
class JCudaKernelsTest extends KernelContractTest {
    @Override
    CudaDevice openDevice() {
        return JCudaDevice.open(0);
    }
}
