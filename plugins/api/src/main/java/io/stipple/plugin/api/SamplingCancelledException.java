package io.stipple.plugin.api;

/** Thrown from {@link SamplingContext#step} when the job was cancelled or its deadline passed. */
public class SamplingCancelledException extends RuntimeException {
    public SamplingCancelledException(String message) {
        super(message);
    }
}
