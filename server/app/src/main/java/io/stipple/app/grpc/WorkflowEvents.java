package io.stipple.app.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.NodeExecuting;
import io.stipple.proto.v1.NodeImage;
import io.stipple.proto.v1.NodeLatent;
import io.stipple.proto.v1.NodePreview;
import io.stipple.proto.v1.NodeProgress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.WorkflowEvent;
import io.stipple.proto.v1.WorkflowResult;

/**
 * The event stream of one RunWorkflow call, with {@link GenerateEvents}' rules: sends serialised,
 * nothing after the call ended, and previews held in a single slot rather than queued behind a
 * slow client.
 */
final class WorkflowEvents {
    private final ServerCallStreamObserver<WorkflowEvent> call;
    private final StatusMapper statuses;
    private boolean closed;
    private WorkflowEvent pendingPreview;
    private volatile String outcome = "UNKNOWN";

    WorkflowEvents(ServerCallStreamObserver<WorkflowEvent> call, StatusMapper statuses) {
        this.call = call;
        this.statuses = statuses;
        call.setOnReadyHandler(this::flushPreview);
    }

    void queued(int position, String jobId) {
        send(WorkflowEvent.newBuilder().setQueued(Queued.newBuilder().setPosition(position).setJobId(jobId)).build());
    }

    synchronized void executing(String nodeId, String classType) {
        flushPending();
        send(WorkflowEvent.newBuilder().setExecuting(NodeExecuting.newBuilder().setNodeId(nodeId).setClassType(classType)).build());
    }

    void progress(String nodeId, int step, int total) {
        send(WorkflowEvent.newBuilder().setProgress(NodeProgress.newBuilder().setNodeId(nodeId).setStep(step).setTotalSteps(total)).build());
    }

    /** Whether a new preview is worth making: not while the slot still holds one the client has not taken. */
    synchronized boolean wantsPreview() {
        return !closed && !call.isCancelled() && pendingPreview == null;
    }

    synchronized void preview(NodePreview preview) {
        pendingPreview = WorkflowEvent.newBuilder().setPreview(preview).build();
        flushPreview();
    }

    private synchronized void flushPreview() {
        if (pendingPreview != null && !closed && call.isReady()) {
            flushPending();
        }
    }

    private synchronized void flushPending() {
        if (pendingPreview != null) {
            WorkflowEvent event = pendingPreview;
            pendingPreview = null;
            send(event);
        }
    }

    synchronized void image(NodeImage image) {
        flushPending();
        send(WorkflowEvent.newBuilder().setImage(image).build());
    }

    synchronized void latent(NodeLatent latent) {
        send(WorkflowEvent.newBuilder().setLatent(latent).build());
    }

    synchronized void result(WorkflowResult result) {
        flushPending();
        send(WorkflowEvent.newBuilder().setResult(result).build());
        if (!closed) {
            closed = true;
            outcome = call.isCancelled() ? Status.Code.CANCELLED.name() : Status.Code.OK.name();
            call.onCompleted();
        }
    }

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

    private synchronized void send(WorkflowEvent event) {
        if (closed || call.isCancelled()) {
            return;
        }
        try {
            call.onNext(event);
        } catch (StatusRuntimeException | IllegalStateException e) {
            closed = true;
        }
    }
}
