package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.CountedStorage;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.cuda.device.DeviceBuffer;

/**
 * Device memory behind tensors of {@link CudaOps}: one allocation holding elements little-endian as
 * {@code stored}, the dtype of every tensor over it.
 */
final class CudaStorage extends CountedStorage {
    private final CudaOps ops;
    private final DeviceBuffer buffer;
    private final DType stored;

    CudaStorage(CudaOps ops, DeviceBuffer buffer, DType stored) {
        super(ops.events());
        this.ops = ops;
        this.buffer = buffer;
        this.stored = stored;
    }

    /** The device memory; throws once the last holder has released it. */
    DeviceBuffer buffer() {
        checkLive();
        return buffer;
    }

    DType stored() {
        return stored;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public long byteSize() {
        return buffer.bytes();
    }

    @Override
    protected void free() {
        ops.memory().release(buffer);
    }
}
