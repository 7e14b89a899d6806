package io.stipple.app.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * The server side of one streaming call (Generate, RunWorkflow). Events come from the gRPC thread
 * (queued) and the job's thread (the rest), so sending is serialised; after the call ends or is
 * cancelled nothing more is sent. Previews are never queued behind a slow client: when the
 * transport is not ready for more, the preview waits in a single slot and goes out when the client
 * catches up (or before the next event that must arrive); no new one is made while it waits. A slow
 * client loses previews, never the job's memory or the worker's time.
 *
 * @param <E> the call's event message
 */
final class EventStream<E> {
    private final ServerCallStreamObserver<E> call;
    private final StatusMapper statuses;
    private boolean closed;
    private E pendingPreview;
    private volatile String outcome = "UNKNOWN";

    /** Call before the first event: the ready handler must be set before the call starts sending. */
    EventStream(ServerCallStreamObserver<E> call, StatusMapper statuses) {
        this.call = call;
        this.statuses = statuses;
        call.setOnReadyHandler(this::flushPreviewIfReady);
    }

    /** Sends an event that must arrive, after the preview still waiting (one message, not a queue). */
    synchronized void send(E event) {
        flushPreview();
        write(event);
    }

    /** Sends an event that may go after a waiting preview (progress): it is not held back for it. */
    synchronized void sendNow(E event) {
        write(event);
    }

    /**
     * Whether a new preview is worth making: not while the slot still holds one the client has not
     * taken. Rendering and encoding cost the worker (every other job waits behind it), and a client
     * that reads nothing would otherwise pay for an encode at every step.
     */
    synchronized boolean wantsPreview() {
        return !closed && !call.isCancelled() && pendingPreview == null;
    }

    /** Puts a preview in the slot and sends it if the transport can take it now. */
    synchronized void preview(E event) {
        pendingPreview = event;
        flushPreviewIfReady();
    }

    /** Sends the final event and completes the call. */
    synchronized void complete(E result) {
        send(result);
        if (!closed) {
            closed = true;
            outcome = call.isCancelled() ? Status.Code.CANCELLED.name() : Status.Code.OK.name();
            call.onCompleted();
        }
    }

    /** Ends the call with the status the failure maps to (nothing if it already ended). */
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

    /** How the call ended: OK, the status code sent, or UNKNOWN while it goes on. */
    String outcome() {
        return outcome;
    }

    private synchronized void flushPreviewIfReady() {
        if (pendingPreview != null && !closed && call.isReady()) {
            flushPreview();
        }
    }

    private void flushPreview() {
        if (pendingPreview != null) {
            E event = pendingPreview;
            pendingPreview = null;
            write(event);
        }
    }

    private void write(E event) {
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
