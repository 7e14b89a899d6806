package io.stipple.tensor.cuda.device;

/**
 * A range of device memory: its address on the device and its size. A buffer from
 * {@link CudaDevice#allocate} may be {@linkplain #slice sliced}; a slice is only a view, and only the
 * allocation it came from is freed.
 */
public record DeviceBuffer(long address, long bytes) {
    public DeviceBuffer {
        if (bytes < 0) {
            throw new IllegalArgumentException("a buffer of " + bytes + " bytes");
        }
    }

    /** {@code length} bytes from {@code offset}, inside this buffer. */
    public DeviceBuffer slice(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > bytes) {
            throw new IllegalArgumentException("slice of " + length + " bytes at " + offset + " (expected: inside a buffer of " + bytes + ")");
        }
        return new DeviceBuffer(address + offset, length);
    }
}
