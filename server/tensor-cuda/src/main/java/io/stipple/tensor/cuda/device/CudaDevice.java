package io.stipple.tensor.cuda.device;

import java.lang.foreign.MemorySegment;

/**
 * The seam between the CUDA backend and a device: memory, copies, kernel launches. Two
 * implementations run the same kernels: the GPU through JCuda's driver API, and
 * {@link EmulatedDevice}, which runs the kernels compiled for the host, so that CI tests every
 * kernel and every caller without a GPU.
 */
public interface CudaDevice extends AutoCloseable {
    /** "cuda:0", "cuda-emulated". */
    String name();

    /** How launches are sized here. */
    LaunchLimits launchLimits();

    /** Device memory of {@code bytes}, not initialised. */
    DeviceBuffer allocate(long bytes);

    void free(DeviceBuffer buffer);

    /** Copies host bytes to the start of {@code dst}. */
    void copyToDevice(MemorySegment src, DeviceBuffer dst);

    /** Copies the first {@code dst.byteSize()} bytes of {@code src} to the host. */
    void copyToHost(DeviceBuffer src, MemorySegment dst);

    /** Runs {@code kernel} on a grid of blocks; returns once it is queued (or done, where the device is synchronous). */
    void launch(Kernel kernel, Dim3 grid, Dim3 block, KernelArg... args);

    /**
     * C (m, n) = op(A) · op(B), float32, row-major, float32 accumulation: cuBLAS on a GPU, the host
     * BLAS on the emulated device. op(A) is (m, k): A is (k, m) when {@code transA}; likewise B.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c);

    /** Waits until everything queued has run. */
    void synchronize();

    @Override
    void close();
}
