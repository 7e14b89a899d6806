package io.stipple.app.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.Preview;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.Result;

/**
 * The event stream of one Generate call. Events come from the gRPC thread (queued) and the job's
 * thread (the rest), so sending is serialised; after the call ends or is cancelled nothing more is
 * sent. Previews are never queued behind a slow client: when the transport is not ready for more,
 * the preview waits in a single slot and goes out when the client catches up; no new one is made
 * while it waits. A slow client loses previews, never the job's memory or the worker's time.
 */
final class GenerateEvents {
    private final ServerCallStreamObserver<GenerateEvent> call;
    private final StatusMapper statuses;
    private boolean closed;
    private GenerateEvent pendingPreview;
    private volatile String outcome = "UNKNOWN";

    /** Call before the first event: the ready handler must be set before the call starts sending. */
    GenerateEvents(ServerCallStreamObserver<GenerateEvent> call, StatusMapper statuses) {
        this.call = call;
        this.statuses = statuses;
        call.setOnReadyHandler(this::flushPreview);
    }

    void queued(int position, String jobId) {
        send(GenerateEvent.newBuilder().setQueued(Queued.newBuilder().setPosition(position).setJobId(jobId)).build());
    }

    void progress(int step, int total, float sigma, long elapsedMillis) {
        send(GenerateEvent.newBuilder().setProgress(Progress.newBuilder()
                .setStep(step).setTotalSteps(total).setSigma(sigma).setElapsedMs(elapsedMillis)).build());
    }

    /**
     * Whether a new preview is worth making: not while the slot still holds one the client has not
     * taken. Rendering and encoding cost the worker (every other job waits behind it), and a client
     * that reads nothing would otherwise pay for an encode at every step.
     */
    synchronized boolean wantsPreview() {
        return !closed && !call.isCancelled() && pendingPreview == null;
    }

    synchronized void preview(int step, boolean png, byte[] data, int width, int height) {
        GenerateEvent event = GenerateEvent.newBuilder().setPreview(Preview.newBuilder().setStep(step)
                .setFormat(png ? ImageFormat.IMAGE_FORMAT_PNG : ImageFormat.IMAGE_FORMAT_JPEG)
                .setData(ByteString.copyFrom(data)).setWidth(width).setHeight(height)).build();
        pendingPreview = event;
        flushPreview();
    }

    private synchronized void flushPreview() {
        if (pendingPreview != null && !closed && call.isReady()) {
            GenerateEvent event = pendingPreview;
            pendingPreview = null;
            send(event);
        }
    }

    synchronized void image(Image image) {
        if (pendingPreview != null) {
            // the last preview still waiting goes before the images: one message, not a queue
            GenerateEvent event = pendingPreview;
            pendingPreview = null;
            send(event);
        }
        send(GenerateEvent.newBuilder().setImage(image).build());
    }

    synchronized void result(Result result) {
        send(GenerateEvent.newBuilder().setResult(result).build());
        if (!closed) {
            closed = true;
            outcome = call.isCancelled() ? Status.Code.CANCELLED.name() : Status.Code.OK.name();
            call.onCompleted();
        }
    }

    /** How the call ended: OK, the status code sent, or UNKNOWN while it goes on. */
    String outcome() {
        return outcome;
    }

    synchronized void fail(Throwable t) {
        if (closed) {
            return;
        }
        closed = true;
        Status status = statuses.status(t);
        outcome = call.isCancelled() ? Status.Code.CANCELLED.name() : status.getCode().name();
        if (call.isCancelled()) {
            return;
        }
        try {
            call.onError(status.asRuntimeException());
        } catch (IllegalStateException | StatusRuntimeException ignored) {
            // the call ended meanwhile
        }
    }

    private synchronized void send(GenerateEvent event) {
        if (closed || call.isCancelled()) {
            return;
        }
        try {
            call.onNext(event);
        } catch (StatusRuntimeException | IllegalStateException e) {
            closed = true; // cancelled between the check and the send
        }
    }
}
