package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.CountedStorage;
import io.stipple.tensor.Ops;
import io.stipple.tensor.cuda.device.DeviceBuffer;

/** Device memory behind tensors of {@link CudaOps}: elements little-endian in the dtype of the tensors over it. */
final class CudaStorage extends CountedStorage {
    private final CudaOps ops;
    private final DeviceBuffer buffer;

    CudaStorage(CudaOps ops, DeviceBuffer buffer) {
        super(ops.events());
        this.ops = ops;
        this.buffer = buffer;
    }

    /** The device memory; throws once the last holder has released it. */
    DeviceBuffer buffer() {
        checkLive();
        return buffer;
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
