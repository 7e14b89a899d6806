package io.stipple.app.models;

import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;
import java.nio.charset.StandardCharsets;

/**
 * What a model name must be before any {@link java.nio.file.Path} is made of it: a NUL makes
 * {@code Path.of} throw, and a component longer than the file system takes fails only when the file
 * is created, with an exception that carries the server's absolute path. Checking the text first
 * turns both into INVALID_ARGUMENT naming the field.
 */
final class ModelNames {
    /** Longer names are refused whole; Linux takes 4096 bytes for a path, and ours sit below a models folder. */
    static final int MAX_CHARS = 1024;
    /** NAME_MAX on Linux (ext4, xfs, tmpfs) and the common limit elsewhere. */
    static final int MAX_COMPONENT_BYTES = 255;

    private ModelNames() {}

    /**
     * @param expected what a valid name is, for the message ("a checkpoints file name")
     * @throws InvalidRequestException naming {@code field} when {@code name} cannot be a file name
     */
    static void check(String name, String field, String expected) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException(field, "empty (expected: " + expected + ")");
        }
        if (name.length() > MAX_CHARS) {
            throw new InvalidRequestException(field, QuotedValue.of(name) + " (expected: " + expected + " of at most "
                    + MAX_CHARS + " characters)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidRequestException(field, QuotedValue.of(name) + " contains the control character "
                        + String.format("U+%04X", (int) c) + " (expected: " + expected + ")");
            }
            if (c == '\\') {
                throw new InvalidRequestException(field, QuotedValue.of(name) + " contains a backslash (expected: "
                        + expected + ", with / between folders)");
            }
        }
        for (String component : name.split("/")) {
            int bytes = component.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_COMPONENT_BYTES) {
                throw new InvalidRequestException(field, QuotedValue.of(name) + " has a file or folder name of " + bytes
                        + " bytes (expected: at most " + MAX_COMPONENT_BYTES + " bytes between slashes)");
            }
        }
    }
}
