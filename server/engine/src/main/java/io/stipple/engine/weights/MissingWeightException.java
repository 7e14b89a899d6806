package io.stipple.engine.weights;

/** A weight the model needs is not in the checkpoint: a damaged file or another architecture. */
public class MissingWeightException extends RuntimeException {
    private final String key;

    public MissingWeightException(String key) {
        super("missing weight " + key);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
