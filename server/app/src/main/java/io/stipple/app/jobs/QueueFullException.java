package io.stipple.app.jobs;

/** The job queue is full: the client should retry later (RESOURCE_EXHAUSTED). */
public class QueueFullException extends RuntimeException {
    public QueueFullException(int capacity, String why) {
        super("the job queue is full (" + why + "; it holds " + capacity + "): retry later");
    }
}
