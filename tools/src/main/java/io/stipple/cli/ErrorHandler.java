package io.stipple.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.BackendUnavailableException;
import io.stipple.app.grpc.StatusMapper;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Failures as one line for the user and an exit code, never a stack trace (that goes to the log at
 * debug level): 2 for bad input, 1 for everything else.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int FAILED = 1;

    /** The status as one line; a server that cannot be reached says why ("Connection refused"), not just "io exception". */
    static String describe(Status status) {
        String text = status.getDescription() != null ? status.getDescription() : status.getCode().toString();
        if (status.getCode() == Status.Code.UNAVAILABLE && status.getCause() != null) {
            Throwable root = status.getCause();
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return "cannot reach the server (" + text + ": " + root.getMessage() + ")";
        }
        return text;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
        String command = cli.getCommandName();
        Status status = ex instanceof StatusRuntimeException s ? s.getStatus()
                : ex instanceof UserError || ex instanceof BackendUnavailableException ? null
                : new StatusMapper().status(ex);
        if (status == null) {
            cli.getErr().println("stipple " + command + ": " + ex.getMessage());
            return ex instanceof UserError u ? u.exitCode() : FAILED;
        }
        cli.getErr().println("stipple " + command + ": " + describe(status));
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE, UNAUTHENTICATED -> BAD_INPUT;
            default -> FAILED;
        };
    }
}
