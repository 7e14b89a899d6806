package io.stipple.tensor;

/**
 * The memory behind a tensor, owned by one backend. Device memory is not left to the garbage
 * collector: {@link #release()} frees it, and a released storage must not be read again.
 */
public interface Storage {
    Ops ops();

    long byteSize();

    void release();
}
