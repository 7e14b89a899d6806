package io.stipple.app.jobs;

import io.stipple.plugin.api.SamplingCancelledException;

/**
 * A job stopped for a {@link Cancellation}. It is a {@link SamplingCancelledException} because it
 * is thrown from the sampler's step callback and passes through plugin code as one.
 */
public final class JobCancelledException extends SamplingCancelledException {
    private final Cancellation reason;

    public JobCancelledException(Cancellation reason) {
        super(reason.message());
        this.reason = reason;
    }

    public Cancellation reason() {
        return reason;
    }
}
