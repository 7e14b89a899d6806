package io.stipple.app.jobs;

/**
 * Why a job stops before its end. Each reason has its own status: a client's cancel (of its stream
 * or through CancelJob) is CANCELLED, a passed deadline DEADLINE_EXCEEDED, and a server going down
 * UNAVAILABLE, so that a client knows to retry elsewhere rather than think it cancelled.
 */
public enum Cancellation {
    CLIENT("cancelled by the client"),
    CANCEL_JOB("cancelled by CancelJob"),
    DEADLINE("deadline exceeded"),
    SHUTDOWN("the server is shutting down");

    private final String message;

    Cancellation(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
