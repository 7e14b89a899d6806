package io.stipple.tensor.cuda.device;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;

/** The same contracts on the GPU, from the fatbin nvcc built: runs with {@code -Dgpu} on a machine with one. */
@Tag("gpu")
class JCudaKernelsTest {
    @Nested
    class Normalization extends NormalizationKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return JCudaDevice.open(0);
        }
    }

    @Nested
    class Elementwise extends ElementwiseKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return JCudaDevice.open(0);
        }
    }

    @Nested
    class Layout extends LayoutKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return JCudaDevice.open(0);
        }
    }

    @Nested
    class LinearAlgebra extends LinearAlgebraKernelsContract {
        @Override
        protected CudaDevice openDevice() {
            return JCudaDevice.open(0);
        }
    }
}
