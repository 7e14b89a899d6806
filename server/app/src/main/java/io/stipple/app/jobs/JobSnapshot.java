package io.stipple.app.jobs;

/**
 * A job as ListJobs shows it.
 *
 * @param position jobs ahead of it; 0 for the running one
 * @param done steps or tensors done, of {@code total}
 */
public record JobSnapshot(String id, Job.Kind kind, boolean running, int position, Scheduling scheduling, int done, int total,
        long ageMillis) {}
