package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.cuda.device.CudaDevice;
import io.stipple.tensor.cuda.device.DeviceBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator, as PyTorch's is: freed device memory is kept by size class and handed to the
 * next request of that class, so that a denoising step, which frees and makes the same tensors
 * every step, allocates from the device only in its first. Freeing to the device synchronises the
 * GPU's stream (a queued kernel may still read the memory); reusing a buffer does not need to,
 * because every kernel that reads or writes it is queued on the same stream, in order.
 *
 * <p>Sizes are rounded up to a class: a multiple of 512 bytes below 1 MiB, above it one of eight
 * steps per doubling (at most an eighth wasted). When the device runs out, the cache is given back
 * and the allocation tried once more.
 */
final class DeviceMemoryPool {
    private static final long SMALL = 512;
    private static final long LARGE = 1L << 20;

    private final CudaDevice device;
    /** Free buffers by their class's size. */
    private final Map<Long, ArrayDeque<DeviceBuffer>> free = new HashMap<>();
    /** The class size of every buffer handed out, by address. */
    private final Map<Long, Long> inUse = new HashMap<>();
    private long cachedBytes;
    private long inUseBytes;
    private long peakInUseBytes;
    private long deviceAllocations;

    DeviceMemoryPool(CudaDevice device) {
        this.device = device;
    }

    /** The size class {@code bytes} is served from. */
    static long sizeClass(long bytes) {
        if (bytes <= LARGE) {
            return Math.max(SMALL, (bytes + SMALL - 1) / SMALL * SMALL);
        }
        long step = Long.highestOneBit(bytes - 1) / 8; // an eighth of the power of two below
        return (bytes + step - 1) / step * step;
    }

    /** A buffer of exactly {@code bytes} (a view of its class's allocation). */
    synchronized DeviceBuffer allocate(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<DeviceBuffer> cached = free.get(size);
        DeviceBuffer b;
        if (cached != null && !cached.isEmpty()) {
            b = cached.pop();
            cachedBytes -= size;
        } else {
            b = fromDevice(size);
        }
        inUse.put(b.address(), size);
        inUseBytes += size;
        peakInUseBytes = Math.max(peakInUseBytes, inUseBytes);
        return b.slice(0, bytes);
    }

    private DeviceBuffer fromDevice(long size) {
        try {
            deviceAllocations++;
            return device.allocate(size);
        } catch (RuntimeException outOfMemory) {
            if (cachedBytes == 0) {
                throw outOfMemory;
            }
            releaseCached();
            return device.allocate(size);
        }
    }

    /** Keeps {@code b} (from {@link #allocate}) for the next request of its class. */
    synchronized void release(DeviceBuffer b) {
        Long size = inUse.remove(b.address());
        if (size == null) {
            throw new IllegalStateException("release of a buffer this pool did not hand out (released twice?): " + b);
        }
        inUseBytes -= size;
        cachedBytes += size;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(new DeviceBuffer(b.address(), size));
    }

    /** Gives every cached buffer back to the device (after models are unloaded, or when it runs out). */
    synchronized void releaseCached() {
        for (ArrayDeque<DeviceBuffer> buffers : free.values()) {
            for (DeviceBuffer b : buffers) {
                device.free(b);
            }
        }
        free.clear();
        cachedBytes = 0;
    }

    /** Bytes held for reuse, not in any tensor. */
    synchronized long cachedBytes() {
        return cachedBytes;
    }

    /** Bytes in tensors and scratch now (in size classes). */
    synchronized long inUseBytes() {
        return inUseBytes;
    }

    /** The most {@link #inUseBytes} has been. */
    synchronized long peakInUseBytes() {
        return peakInUseBytes;
    }

    /** How many times memory was asked of the device itself. */
    synchronized long deviceAllocations() {
        return deviceAllocations;
    }
}
