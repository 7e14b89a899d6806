package io.stipple.tensor.cuda.device;

import org.junit.jupiter.api.Nested;

/** The kernels compiled for the host by g++ with the emulation header: every contract, in every build. */
class EmulatedKernelsTest {
    @Nested
    class Normalization extends NormalizationKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return new EmulatedDevice();
        }
    }

    @Nested
    class Elementwise extends ElementwiseKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return new EmulatedDevice();
        }
    }

    @Nested
    class Layout extends LayoutKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return new EmulatedDevice();
        }
    }

    @Nested
    class LinearAlgebra extends LinearAlgebraKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return new EmulatedDevice();
        }
    }
}
