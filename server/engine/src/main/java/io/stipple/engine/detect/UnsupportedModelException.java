package io.stipple.engine.detect;

/** A file that is not a model Stipple can run: the message says what was found and what is missing. */
public class UnsupportedModelException extends RuntimeException {
    public UnsupportedModelException(String message) {
        super(message);
    }
}
