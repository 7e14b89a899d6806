package io.stipple.app.jobs;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A unit of work for the queue. It is told to stop through {@link #cancel}; long-running work checks
 * {@link #cancellation()} at each step and stops there.
 */
public abstract class Job implements Runnable {
    private final AtomicReference<Cancellation> cancelled = new AtomicReference<>();
    private final long createdNanos = System.nanoTime();

    /** Asks the job to stop; the first reason given is the one that counts. */
    public final void cancel(Cancellation reason) {
        cancelled.compareAndSet(null, reason);
    }

    /** Null while the job may run; the reason once it was cancelled. */
    public final Cancellation cancellation() {
        return cancelled.get();
    }

    /** @throws JobCancelledException once the job was cancelled */
    protected final void checkCancelled() {
        Cancellation reason = cancelled.get();
        if (reason != null) {
            throw new JobCancelledException(reason);
        }
    }

    public final long createdNanos() {
        return createdNanos;
    }

    /** Bytes of request data the job holds while it waits (an init image), bounded by the queue. */
    public long heldBytes() {
        return 0;
    }

    /**
     * Ends the job's call with the reason's status at once, without waiting for the job: called when
     * it was cancelled before it started, or when the server stops while it still runs. Must be safe
     * to call from any thread and more than once; later sends of the job are then dropped.
     */
    protected void endCall(Cancellation reason) {}
}
