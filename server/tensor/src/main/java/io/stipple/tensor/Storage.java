package io.stipple.tensor;

/**
 * The memory behind one or more tensors, owned by one backend. It counts the tensors that hold it
 * (a view such as {@link Tensor#reshape} is a second holder): the last {@link #release()} frees it,
 * and a released storage throws {@link IllegalStateException} when it is read again.
 */
public interface Storage {
    Ops ops();

    long byteSize();

    /** One more holder: a new tensor over the same memory. */
    void retain();

    /** One holder fewer; the last frees the memory. Releasing a freed storage throws. */
    void release();

    /** Whether the last holder has released it. */
    boolean isReleased();
}
