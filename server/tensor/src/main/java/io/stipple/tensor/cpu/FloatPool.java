package io.stipple.tensor.cpu;

import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The arrays of freed float32 storages, kept by exact length for the next tensor of that length: a
 * denoising step allocates the sizes the step before it freed, so in steady state the backend
 * allocates almost nothing, the collector rarely runs and the heap need not grow. Bounded: past its
 * capacity a freed array is left to the garbage collector. Small arrays are not worth keeping.
 */
final class FloatPool {
    static final int MIN_LENGTH = 4096;

    private final long capacityFloats;
    private final AtomicLong pooledFloats = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private final ConcurrentHashMap<Integer, Deque<float[]>> byLength = new ConcurrentHashMap<>();

    FloatPool(long capacityBytes) {
        this.capacityFloats = Math.max(0, capacityBytes / Float.BYTES);
    }

    /** An array of exactly {@code length} floats whose contents are undefined: the caller writes every element. */
    float[] take(int length) {
        float[] a = poll(length);
        return a != null ? a : new float[length];
    }

    /** An array of exactly {@code length} zeros. */
    float[] takeZeroed(int length) {
        float[] a = poll(length);
        if (a == null) {
            return new float[length];
        }
        Arrays.fill(a, 0f);
        return a;
    }

    /** Takes back the array of a freed storage; nothing else may hold it. */
    void give(float[] a) {
        if (a.length < MIN_LENGTH) {
            return;
        }
        if (pooledFloats.addAndGet(a.length) > capacityFloats) {
            pooledFloats.addAndGet(-a.length);
            return;
        }
        byLength.computeIfAbsent(a.length, n -> new ConcurrentLinkedDeque<>()).addFirst(a);
    }

    long pooledBytes() {
        return pooledFloats.get() * Float.BYTES;
    }

    /** How many arrays were handed out again instead of allocated. */
    long reused() {
        return reused.get();
    }

    private float[] poll(int length) {
        if (length < MIN_LENGTH) {
            return null;
        }
        Deque<float[]> free = byLength.get(length);
        float[] a = free == null ? null : free.pollFirst();
        if (a != null) {
            pooledFloats.addAndGet(-length);
            reused.incrementAndGet();
        }
        return a;
    }
}
