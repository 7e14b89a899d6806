package io.stipple.app.jobs;

/** The job queue is full: the client should retry later (RESOURCE_EXHAUSTED). */
public class QueueFullException extends RuntimeException {
    public QueueFullException(int capacity) {
        super("the job queue is full (" + capacity + " jobs waiting): retry later");
    }
}
