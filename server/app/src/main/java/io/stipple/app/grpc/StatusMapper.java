package io.stipple.app.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.stipple.app.jobs.QueueFullException;
import io.stipple.app.models.ModelNotFoundException;
import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.merge.IncompatibleModelsException;
import io.stipple.engine.merge.MergeCancelledException;
import io.stipple.engine.image.InvalidImageException;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.SamplingCancelledException;
import io.stipple.tensor.DeviceOutOfMemoryException;
import java.io.FileNotFoundException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/**
 * The one place where failures become gRPC statuses. Every service method sends what this returns;
 * nothing escapes as UNKNOWN. Unexpected failures are logged with their stack trace and reach the
 * client as INTERNAL with a short description, never the trace.
 */
public final class StatusMapper {
    private static final System.Logger LOG = System.getLogger(StatusMapper.class.getName());

    public StatusException toStatus(Throwable t) {
        return status(t).asException();
    }

    public Status status(Throwable t) {
        return switch (t) {
            case StatusException e -> e.getStatus();
            case StatusRuntimeException e -> e.getStatus();
            case InvalidRequestException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case InvalidImageException e -> Status.INVALID_ARGUMENT.withDescription("init.image: " + e.getMessage());
            case ModelNotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage());
            case NoSuchFileException e -> Status.NOT_FOUND.withDescription("no such file: " + e.getMessage());
            case FileNotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage());
            case FileAlreadyExistsException e -> Status.ALREADY_EXISTS.withDescription(e.getMessage());
            case CheckpointFormatException e -> Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            case UnsupportedModelException e -> Status.FAILED_PRECONDITION.withDescription(e.getMessage());
            case QueueFullException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
            case IncompatibleModelsException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
            case MergeCancelledException e -> Status.CANCELLED.withDescription(e.getMessage());
            case DeviceOutOfMemoryException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()
                    + ": the model or the image is too large for the device's memory");
            case OutOfMemoryError e -> Status.RESOURCE_EXHAUSTED.withDescription("out of memory: the model or the image is too "
                    + "large for this server's memory (" + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap)");
            case SamplingCancelledException e -> e.getMessage() != null && e.getMessage().contains("deadline")
                    ? Status.DEADLINE_EXCEEDED.withDescription(e.getMessage())
                    : Status.CANCELLED.withDescription(e.getMessage());
            default -> {
                LOG.log(Level.ERROR, "internal error", t);
                yield Status.INTERNAL.withDescription("internal error: " + t.getClass().getSimpleName()
                        + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
        };
    }
}
