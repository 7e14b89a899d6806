package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.DType;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cuda.device.DeviceBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The device buffers one operation reads and the scratch it needs, for the length of the operation:
 * a float32 view of each input (the input's own memory when it is float32, else a widened copy) and
 * temporary buffers, all freed when it closes. Launches on one stream run in order, so a buffer freed
 * after the launches that read it is safe to reuse.
 */
final class Operands implements AutoCloseable {
    private final CudaOps ops;
    private final List<DeviceBuffer> scratch = new ArrayList<>();

    Operands(CudaOps ops) {
        this.ops = ops;
    }

    /** {@code t}'s elements as float32 on the device; null for a null tensor (an absent bias). */
    DeviceBuffer f32(Tensor t) {
        if (t == null) {
            return null;
        }
        if (t.dtype() == DType.F32) {
            return ops.storage(t).buffer();
        }
        DeviceBuffer wide = temporary(4 * t.numel());
        ops.widen(t, wide);
        return wide;
    }

    /** Scratch of {@code bytes}, freed with the operation. */
    DeviceBuffer temporary(long bytes) {
        DeviceBuffer b = ops.memory().allocate(bytes);
        scratch.add(b);
        return b;
    }

    /** {@code values} copied to the device, freed with the operation. */
    DeviceBuffer ints(int[] values) {
        DeviceBuffer b = temporary(4L * values.length);
        ops.device().copyToDevice(java.lang.foreign.MemorySegment.ofArray(values), b);
        return b;
    }

    DeviceBuffer floats(float[] values) {
        DeviceBuffer b = temporary(4L * values.length);
        ops.device().copyToDevice(java.lang.foreign.MemorySegment.ofArray(values), b);
        return b;
    }

    @Override
    public void close() {
        for (DeviceBuffer b : scratch) {
            ops.memory().release(b);
        }
        scratch.clear();
    }
}
