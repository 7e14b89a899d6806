package io.stipple.app.jobs;

/**
 * Where a job goes in the queue.
 *
 * @param priority higher runs first
 * @param clientId whom the job is for; clients at one priority take turns
 */
public record Scheduling(int priority, String clientId) {
    public static final Scheduling DEFAULT = new Scheduling(0, "");
}
