package io.stipple.app.jobs;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A unit of work for the queue, with the id clients use to list and cancel it. It is told to stop
 * through {@link #cancel}; long-running work checks {@link #cancellation()} at each step and stops
 * there.
 */
public abstract class Job implements Runnable {
    /** What a job does, as ListJobs reports it. */
    public enum Kind {
        GENERATE, MERGE, MODELS, WORKFLOW;

        /** The metrics label. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final SecureRandom IDS = new SecureRandom();

    private final String id = newId();
    private final Kind kind;
    private final Scheduling scheduling;
    private final AtomicReference<Cancellation> cancelled = new AtomicReference<>();
    private final long createdNanos = System.nanoTime();
    private volatile long progress; // done << 32 | total

    protected Job(Kind kind, Scheduling scheduling) {
        this.kind = kind;
        this.scheduling = scheduling;
    }

    /** 96 random bits: an id names one job, and guessing another client's must not be practical. */
    private static String newId() {
        byte[] b = new byte[12];
        IDS.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public final String id() {
        return id;
    }

    public final Kind kind() {
        return kind;
    }

    public final Scheduling scheduling() {
        return scheduling;
    }

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

    /** Records how far the job is, for ListJobs. */
    protected final void reportProgress(int done, int total) {
        progress = ((long) done << 32) | (total & 0xffffffffL);
    }

    final int done() {
        return (int) (progress >>> 32);
    }

    final int total() {
        return (int) progress;
    }

    public final long createdNanos() {
        return createdNanos;
    }

    /** How the job's call ended, for metrics: "OK", a gRPC status code's name, or "UNKNOWN" while it has not. */
    public String outcome() {
        return "UNKNOWN";
    }

    /** Bytes of request data the job holds while it waits (an init image), bounded by the queue. */
    public long heldBytes() {
        return 0;
    }

    /**
     * Tells the client how many jobs are ahead: called by the queue when the job is queued and
     * whenever that number changes, before the job runs. Must not call back into the queue.
     */
    protected void positionChanged(int jobsAhead) {}

    /**
     * Ends the job's call with the reason's status at once, without waiting for the job: called when
     * it was cancelled before it started, or when the server stops while it still runs. Must be safe
     * to call from any thread and more than once; later sends of the job are then dropped.
     */
    protected void endCall(Cancellation reason) {}
}
