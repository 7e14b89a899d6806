package io.stipple.tensor;

/**
 * A backend could not allocate memory for a tensor on its device: the model or the image does not
 * fit the device's budget. The server answers RESOURCE_EXHAUSTED; the job may be retried smaller.
 */
public class DeviceOutOfMemoryException extends RuntimeException {
    private final String device;
    private final long requestedBytes;

    public DeviceOutOfMemoryException(String device, long requestedBytes, Throwable cause) {
        super(device + ": out of memory allocating " + requestedBytes + " bytes", cause);
        this.device = device;
        this.requestedBytes = requestedBytes;
    }

    /** The backend's name, as {@link Ops#name()} gives it. */
    public String device() {
        return device;
    }

    public long requestedBytes() {
        return requestedBytes;
    }
}
