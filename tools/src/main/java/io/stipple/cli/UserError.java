package io.stipple.cli;

/** A problem the user can fix, reported as one line with an exit code. */
final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(String message) {
        this(message, ErrorHandler.BAD_INPUT);
    }

    UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
