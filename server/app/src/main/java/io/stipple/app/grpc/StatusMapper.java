package io.stipple.app.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.stipple.app.jobs.JobCancelledException;
import io.stipple.app.jobs.QueueFullException;
import io.stipple.app.models.ModelNotFoundException;
import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.merge.IncompatibleModelsException;
import io.stipple.engine.merge.MergeCancelledException;
import io.stipple.engine.image.InvalidImageException;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.SamplingCancelledException;
import io.stipple.tensor.DeviceOutOfMemoryException;
import java.io.FileNotFoundException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The one place where failures become gRPC statuses. Every service method sends what this returns;
 * nothing escapes as UNKNOWN. Unexpected failures are logged with their stack trace and reach the
 * client as INTERNAL with a short description, never the trace.
 */
public final class StatusMapper {
    private static final System.Logger LOG = System.getLogger(StatusMapper.class.getName());

    private static String fileName(String path) {
        if (path == null) {
            return "a file";
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return path.substring(slash + 1);
    }

    public StatusException toStatus(Throwable t) {
        return status(t).asException();
    }

    public Status status(Throwable t) {
        return switch (t) {
            case StatusException e -> e.getStatus();
            case StatusRuntimeException e -> e.getStatus();
            // the cause stays on the server (gRPC never sends it); the ComfyUI API reads node_errors from it
            case InvalidRequestException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage()).withCause(e);
            case InvalidImageException e -> Status.INVALID_ARGUMENT.withDescription("init.image: " + e.getMessage());
            case ModelNotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage());
            case NoSuchFileException e -> Status.NOT_FOUND.withDescription("no such file: " + fileName(e.getFile()));
            case FileNotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage());
            case OutputExistsException e -> Status.ALREADY_EXISTS.withDescription(e.getMessage());
            case FileAlreadyExistsException e -> Status.ALREADY_EXISTS.withDescription(fileName(e.getFile()) + " already exists");
            case CheckpointFormatException e -> Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            case UnsupportedModelException e -> Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            case QueueFullException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
            case IncompatibleModelsException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case MergeCancelledException e -> Status.CANCELLED.withDescription(e.getMessage());
            case DeviceOutOfMemoryException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()
                    + ": the model or the image is too large for the device's memory");
            case OutOfMemoryError e -> Status.RESOURCE_EXHAUSTED.withDescription("out of memory: the model or the image is too "
                    + "large for this server's memory (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap)");
            case JobCancelledException e -> switch (e.reason()) {
                case CLIENT, CANCEL_JOB -> Status.CANCELLED.withDescription(e.getMessage());
                case DEADLINE -> Status.DEADLINE_EXCEEDED.withDescription(e.getMessage());
                case SHUTDOWN -> Status.UNAVAILABLE.withDescription(e.getMessage());
            };
            case SamplingCancelledException e -> Status.CANCELLED.withDescription(e.getMessage());
            case FileSystemException e -> {
                LOG.log(Level.ERROR, "internal error", t);
                // its message is the server's absolute path: the client gets the file's name and the reason only
                yield Status.INTERNAL.withDescription("internal error: " + fileName(e.getFile())
                        + (e.getReason() == null ? "" : ": " + e.getReason()));
            }
            default -> {
                LOG.log(Level.ERROR, "internal error", t);
                yield Status.INTERNAL.withDescription("internal error: " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + QuotedValue.of(t.getMessage())) + " (details in the server's log)");
            }
        };
    }
}
