package io.stipple.engine.pipeline;

/**
 * A request value the engine cannot use; {@link #field()} is the request field's name as the API
 * spells it, and the message says the value and what was expected.
 */
public class InvalidRequestException extends RuntimeException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
