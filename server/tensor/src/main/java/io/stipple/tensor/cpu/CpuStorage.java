package io.stipple.tensor.cpu;

import io.stipple.tensor.CountedStorage;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.StorageEvents;
import java.lang.foreign.MemorySegment;

/**
 * CPU memory: a Java float array for float32 tensors the backend computes, or a memory segment (a
 * mapped file, usually) holding elements as a checkpoint stores them, converted as they are read.
 * Freeing drops the references, so that a read after release fails instead of seeing reused memory.
 */
final class CpuStorage extends CountedStorage {
    private final CpuOps ops;
    private final long byteSize;
    private volatile float[] floats;
    private volatile MemorySegment raw;

    private CpuStorage(CpuOps ops, StorageEvents events, float[] floats, MemorySegment raw) {
        super(events);
        this.ops = ops;
        this.floats = floats;
        this.raw = raw;
        this.byteSize = floats != null ? 4L * floats.length : raw.byteSize();
    }

    static CpuStorage ofFloats(CpuOps ops, float[] floats) {
        return new CpuStorage(ops, ops.events(), floats, null);
    }

    static CpuStorage ofRaw(CpuOps ops, MemorySegment raw) {
        return new CpuStorage(ops, ops.events(), null, raw);
    }

    /** The float array, or null when the storage is raw bytes. */
    float[] floats() {
        checkLive();
        return floats;
    }

    /** The raw bytes, or null when the storage is a float array. */
    MemorySegment raw() {
        checkLive();
        return raw;
    }

    boolean isFloats() {
        checkLive();
        return floats != null;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public long byteSize() {
        return byteSize;
    }

    @Override
    protected void free() {
        // the backend's arrays go back to its pool (or the garbage collector); mapped files stay with their arena
        float[] f = floats;
        floats = null;
        raw = null;
        if (f != null) {
            ops.pool().give(f);
        }
    }

    static long expectedBytes(DType dtype, long numel) {
        return numel * dtype.byteSize();
    }
}
