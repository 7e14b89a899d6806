package io.stipple.engine.merge;

import java.util.concurrent.CancellationException;

/** A merge stopped because its caller asked; nothing was left in the output folder. */
public class MergeCancelledException extends CancellationException {
    public MergeCancelledException(String message) {
        super(message);
    }
}
