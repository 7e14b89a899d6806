package io.stipple.format.safetensors;

/** A JSON document that breaks the grammar or a limit; {@link #offset()} is where, in bytes. */
final class JsonSyntaxException extends RuntimeException {
    private final int offset;

    JsonSyntaxException(String what, int offset) {
        super(what + " at byte " + offset);
        this.offset = offset;
    }

    int offset() {
        return offset;
    }
}
