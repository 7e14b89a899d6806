package io.stipple.app.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.NodeExecuting;
import io.stipple.proto.v1.NodeImage;
import io.stipple.proto.v1.NodeLatent;
import io.stipple.proto.v1.NodePreview;
import io.stipple.proto.v1.NodeProgress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.WorkflowEvent;
import io.stipple.proto.v1.WorkflowResult;

/** The events of one RunWorkflow call, sent by an {@link EventStream} (its rules on order and previews). */
final class WorkflowEvents {
    private final EventStream<WorkflowEvent> stream;

    WorkflowEvents(ServerCallStreamObserver<WorkflowEvent> call, StatusMapper statuses) {
        this.stream = new EventStream<>(call, statuses);
    }

    void queued(int position, String jobId) {
        stream.sendNow(WorkflowEvent.newBuilder().setQueued(Queued.newBuilder().setPosition(position).setJobId(jobId)).build());
    }

    void executing(String nodeId, String classType) {
        stream.send(WorkflowEvent.newBuilder().setExecuting(NodeExecuting.newBuilder().setNodeId(nodeId).setClassType(classType)).build());
    }

    void progress(String nodeId, int step, int total) {
        stream.sendNow(WorkflowEvent.newBuilder().setProgress(NodeProgress.newBuilder().setNodeId(nodeId).setStep(step)
                .setTotalSteps(total)).build());
    }

    boolean wantsPreview() {
        return stream.wantsPreview();
    }

    void preview(NodePreview preview) {
        stream.preview(WorkflowEvent.newBuilder().setPreview(preview).build());
    }

    void image(NodeImage image) {
        stream.send(WorkflowEvent.newBuilder().setImage(image).build());
    }

    void latent(NodeLatent latent) {
        stream.sendNow(WorkflowEvent.newBuilder().setLatent(latent).build());
    }

    void result(WorkflowResult result) {
        stream.complete(WorkflowEvent.newBuilder().setResult(result).build());
    }

    String outcome() {
        return stream.outcome();
    }

    void fail(Throwable t) {
        stream.fail(t);
    }
}
