package io.stipple.tensor.cuda.device;

/** A range of device memory: its address on the device and its size. */
public record DeviceBuffer(long address, long bytes) {
    public DeviceBuffer {
        if (bytes < 0) {
            throw new IllegalArgumentException("a buffer of " + bytes + " bytes");
        }
    }
}
