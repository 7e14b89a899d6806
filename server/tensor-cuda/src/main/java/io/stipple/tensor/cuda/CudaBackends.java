package io.stipple.tensor.cuda;

import io.stipple.tensor.cuda.device.EmulatedDevice;
import io.stipple.tensor.cuda.device.JCudaDevice;
import io.stipple.tensor.cuda.ops.CudaOps;

/**
 * Opens the CUDA backend on a GPU or on the emulated device, or says exactly what is missing: no
 * driver, no device, a build without the GPU kernels (no nvcc) or without the emulated ones (no g++).
 */
public final class CudaBackends {
    private CudaBackends() {}

    /** Why the backend asked for cannot be opened here; the message names what is missing. */
    public static final class UnavailableException extends RuntimeException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    /** CudaOps on GPU 0 through JCuda and cuBLAS. */
    public static CudaOps gpu() {
        if (CudaProbe.probe() instanceof CudaProbe.Unavailable u) {
            throw new UnavailableException("cuda: no usable GPU: " + u.reason());
        }
        try {
            return new CudaOps(JCudaDevice.open(0));
        } catch (IllegalStateException | jcuda.CudaException | LinkageError e) {
            throw new UnavailableException("cuda: the GPU was found but the backend could not start: " + e.getMessage());
        }
    }

    /**
     * CudaOps on the emulated device: the CUDA kernels compiled for the host. A testing aid: every
     * kernel and every line of CudaOps runs, far slower than on the CPU backend.
     */
    public static CudaOps emulated() {
        try {
            return new CudaOps(new EmulatedDevice());
        } catch (IllegalStateException e) {
            throw new UnavailableException(e.getMessage());
        }
    }
}
