package io.stipple.tensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reference counting for a backend's storage: it starts with one holder, frees its memory
 * ({@link #free()}) when the last lets go, and refuses to be released twice or read once freed.
 */
public abstract class CountedStorage implements Storage {
    private final AtomicInteger holders = new AtomicInteger(1);
    private final StorageEvents events;

    protected CountedStorage(StorageEvents events) {
        this.events = events;
        events.allocated(this);
    }

    /** Gives the memory back (to the device, to a pool); called once, by the last release. */
    protected abstract void free();

    @Override
    public final void retain() {
        int before = holders.getAndUpdate(n -> n == 0 ? 0 : n + 1);
        if (before == 0) {
            throw new IllegalStateException("retain of a released " + describe());
        }
    }

    @Override
    public final void release() {
        int before = holders.getAndUpdate(n -> n == 0 ? 0 : n - 1);
        if (before == 0) {
            throw new IllegalStateException("release of an already released " + describe());
        }
        if (before == 1) {
            free();
            events.freed(this);
        }
    }

    @Override
    public final boolean isReleased() {
        return holders.get() == 0;
    }

    /** Throws when the memory has been freed: every read of a backend's storage goes through it. */
    protected final void checkLive() {
        if (holders.get() == 0) {
            throw new IllegalStateException("read of a released " + describe());
        }
    }

    private String describe() {
        return "storage of " + byteSize() + " bytes on " + ops().name();
    }
}
