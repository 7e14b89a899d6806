package io.stipple.app.grpc;

import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.Job;
import io.stipple.app.jobs.JobCancelledException;
import io.stipple.app.jobs.Scheduling;

/**
 * Loading or unloading models, run by the job worker like a generation, so that a model is never
 * unloaded under a running job, and ahead of every waiting job: clients' priorities stop at 100.
 */
final class ModelsJob extends Job {
    /** Above any priority a request may ask for. */
    static final Scheduling FIRST = new Scheduling(SchedulingFields.MAX_PRIORITY + 1, "");

    /** The work, and what to do with its outcome (it never throws to the queue). */
    interface Work {
        void run() throws Exception;

        void failed(Throwable t);
    }

    private final Work work;
    private volatile String outcome = "UNKNOWN";

    ModelsJob(Work work) {
        super(Kind.MODELS, FIRST);
        this.work = work;
    }

    @Override
    public void run() {
        try {
            work.run();
            outcome = "OK";
        } catch (Throwable t) {
            outcome = "FAILED";
            work.failed(t);
        }
    }

    @Override
    protected void endCall(Cancellation reason) {
        outcome = reason.name();
        work.failed(new JobCancelledException(reason));
    }

    @Override
    public String outcome() {
        return outcome;
    }
}
