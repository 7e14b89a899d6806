package io.stipple.app;

/** The requested backend cannot run here; the message says what is missing. */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
