package io.stipple.tensor.cuda.device;

/** The kernels compiled for the host by g++ with the emulation header: runs in every build. */
class EmulatedKernelsTest extends KernelContractTest {
    @Override
    CudaDevice openDevice() {
        return new EmulatedDevice();
    }
}
