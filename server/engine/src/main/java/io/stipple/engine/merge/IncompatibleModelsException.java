package io.stipple.engine.merge;

/**
 * Models that cannot be merged: different families, or a tensor whose shape differs between them.
 * Thrown before anything is written; the message names the models, the tensor and both shapes.
 */
public class IncompatibleModelsException extends RuntimeException {
    public IncompatibleModelsException(String message) {
        super(message);
    }
}
