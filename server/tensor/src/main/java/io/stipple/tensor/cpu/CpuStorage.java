package io.stipple.tensor.cpu;

import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Storage;
import java.lang.foreign.MemorySegment;

/**
 * CPU memory: a Java float array for float32 tensors the backend computes, or a memory segment (a
 * mapped file, usually) holding elements as a checkpoint stores them, converted as they are read.
 */
final class CpuStorage implements Storage {
    private final CpuOps ops;
    private final float[] floats;
    private final MemorySegment raw;

    private CpuStorage(CpuOps ops, float[] floats, MemorySegment raw) {
        this.ops = ops;
        this.floats = floats;
        this.raw = raw;
    }

    static CpuStorage ofFloats(CpuOps ops, float[] floats) {
        return new CpuStorage(ops, floats, null);
    }

    static CpuStorage ofRaw(CpuOps ops, MemorySegment raw) {
        return new CpuStorage(ops, null, raw);
    }

    /** The float array, or null when the storage is raw bytes. */
    float[] floats() {
        return floats;
    }

    /** The raw bytes, or null when the storage is a float array. */
    MemorySegment raw() {
        return raw;
    }

    boolean isFloats() {
        return floats != null;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public long byteSize() {
        return floats != null ? 4L * floats.length : raw.byteSize();
    }

    @Override
    public void release() {
        // heap arrays belong to the garbage collector; mapped files to the arena that mapped them
    }

    static long expectedBytes(DType dtype, long numel) {
        return numel * dtype.byteSize();
    }
}
