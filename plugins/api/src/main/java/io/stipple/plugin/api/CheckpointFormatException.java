package io.stipple.plugin.api;

import java.nio.file.Path;

/**
 * A model file that cannot be read: damaged, truncated, unsafe or not of the format. The message
 * names the file and what is wrong with it, for the user.
 */
public class CheckpointFormatException extends RuntimeException {
    private final Path file;

    public CheckpointFormatException(Path file, String reason) {
        super(file.getFileName() + ": " + reason);
        this.file = file;
    }

    public CheckpointFormatException(Path file, String reason, Throwable cause) {
        super(file.getFileName() + ": " + reason, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
