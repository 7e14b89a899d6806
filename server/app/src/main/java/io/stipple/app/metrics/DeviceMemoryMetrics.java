package io.stipple.app.metrics;

import io.stipple.tensor.Ops;
import io.stipple.tensor.cuda.ops.CudaOps;

/**
 * The device's memory as gauges, for a CUDA backend: bytes in tensors now and at most so far, and
 * bytes the caching allocator keeps for reuse. The CPU backend's memory is the JVM's, which the JVM
 * metrics already report, so it adds none.
 */
public final class DeviceMemoryMetrics {
    private DeviceMemoryMetrics() {}

    public static void register(ServerMetrics metrics, Ops ops) {
        if (ops instanceof CudaOps cuda) {
            metrics.gauge("stipple_device_memory_in_use_bytes", "Device memory in tensors and scratch (" + cuda.name() + ")",
                    () -> cuda.memoryUse().inUseBytes());
            metrics.gauge("stipple_device_memory_peak_bytes", "The most device memory in use since the start (" + cuda.name() + ")",
                    () -> cuda.memoryUse().peakInUseBytes());
            metrics.gauge("stipple_device_memory_cached_bytes", "Freed device memory the caching allocator keeps for reuse (" + cuda.name() + ")",
                    () -> cuda.memoryUse().cachedBytes());
        }
    }
}
