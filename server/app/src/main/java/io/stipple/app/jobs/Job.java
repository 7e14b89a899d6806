package io.stipple.app.jobs;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A unit of work for the queue. It is told to stop through {@link #cancel}; long-running work checks
 * {@link #cancellation()} at each step and stops there.
 */
public abstract class Job implements Runnable {
    private final AtomicReference<String> cancelled = new AtomicReference<>();
    private final long createdNanos = System.nanoTime();

    /** Asks the job to stop; the reason says why ("cancelled by the client", "deadline exceeded"). */
    public final void cancel(String reason) {
        cancelled.compareAndSet(null, reason);
    }

    /** Null while the job may run; the reason once it was cancelled. */
    public final String cancellation() {
        return cancelled.get();
    }

    public final long createdNanos() {
        return createdNanos;
    }

    /** Called instead of {@link #run} when the job was cancelled before it started. */
    protected void skipped(String reason) {}
}
