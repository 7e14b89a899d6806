package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.WorkflowEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for a RunWorkflow call's stream, so that a prompt goes through the very RunWorkflow
 * code (checks, limits, queue, events) that gRPC callers get; it turns the events into ComfyUI's
 * websocket messages and the prompt's history. {@link #jobId()} is the id the prompt was queued
 * under; an error before it was queued is kept as {@link #refusal()}, for the HTTP answer.
 */
final class PromptCall extends ServerCallStreamObserver<WorkflowEvent> {
    private final ComfySessions sessions;
    private final ImageStore images;
    private final Runnable queueChanged;
    private volatile String jobId;
    private volatile Throwable refusal;
    private final PromptRecord record;
    private boolean started;
    private String node = null;
    private String nodeType = null;
    private final List<String> executed = new ArrayList<>();
    /** The images of the node being saved: ComfyUI sends them together in one executed message. */
    private final List<StoredImage> pendingImages = new ArrayList<>();
    private String pendingNode;

    PromptCall(PromptRecord record, ComfySessions sessions, ImageStore images, Runnable queueChanged) {
        this.record = record;
        this.sessions = sessions;
        this.images = images;
        this.queueChanged = queueChanged;
    }

    String jobId() {
        return jobId;
    }

    Throwable refusal() {
        return refusal;
    }

    @Override
    public synchronized void onNext(WorkflowEvent event) {
        switch (event.getEventCase()) {
            case QUEUED -> {
                if (jobId == null) {
                    jobId = event.getQueued().getJobId();
                    record.jobId(jobId);
                }
            }
            case EXECUTING -> {
                flushImages();
                if (!started) {
                    started = true;
                    send("execution_start", data(), true);
                    JsonObject cached = data();
                    cached.add("nodes", new JsonArray());
                    send("execution_cached", cached, false);
                    queueChanged.run();
                }
                node = event.getExecuting().getNodeId();
                nodeType = event.getExecuting().getClassType();
                executed.add(node);
                JsonObject d = data();
                d.addProperty("node", node);
                d.addProperty("display_node", node);
                send("executing", d, false);
            }
            case PROGRESS -> {
                flushImages();
                JsonObject d = data();
                d.addProperty("value", event.getProgress().getStep());
                d.addProperty("max", event.getProgress().getTotalSteps());
                d.addProperty("node", event.getProgress().getNodeId());
                send("progress", d, false);
            }
            case PREVIEW -> {
                var p = event.getPreview().getPreview();
                sessions.preview(clientId(), p.getFormat() == ImageFormat.IMAGE_FORMAT_PNG, p.getData().toByteArray());
            }
            case IMAGE -> {
                if (pendingNode != null && !pendingNode.equals(event.getImage().getNodeId())) {
                    flushImages();
                }
                StoredImage stored = images.add(event.getImage());
                pendingNode = event.getImage().getNodeId();
                pendingImages.add(stored);
                record.output(pendingNode, stored);
            }
            case RESULT -> {
                flushImages();
                send("execution_success", data(), true);
                ended(true);
            }
            default -> {
                // latents: ComfyUI's SaveLatent writes a file this API does not serve
            }
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (jobId == null) {
            refusal = t; // refused before it was queued: the HTTP answer says why
            return;
        }
        flushImages();
        Status status = t instanceof StatusRuntimeException e ? e.getStatus() : Status.fromThrowable(t);
        JsonObject d = data();
        d.addProperty("node_id", node);
        d.addProperty("node_type", nodeType);
        JsonArray done = new JsonArray();
        executed.forEach(done::add);
        d.add("executed", done);
        if (status.getCode() == Status.Code.CANCELLED) {
            send("execution_interrupted", d, true);
        } else {
            d.addProperty("exception_message", status.getDescription() == null ? status.getCode().name() : status.getDescription());
            d.addProperty("exception_type", status.getCode().name());
            d.add("traceback", new JsonArray());
            d.add("current_inputs", new JsonObject());
            d.add("current_outputs", new JsonObject());
            send("execution_error", d, true);
        }
        ended(false);
    }

    @Override
    public void onCompleted() {
        // the result event has said everything
    }

    /** ComfyUI's last message for a prompt, whatever the outcome: executing with node null. */
    private void ended(boolean success) {
        record.end(success);
        JsonObject d = data();
        d.add("node", null);
        d.add("display_node", null);
        send("executing", d, false);
        queueChanged.run();
    }

    private void flushImages() {
        if (pendingNode == null) {
            return;
        }
        JsonObject d = data();
        d.addProperty("node", pendingNode);
        d.addProperty("display_node", pendingNode);
        d.add("output", PromptRecord.imagesOutput(pendingImages));
        pendingImages.clear();
        pendingNode = null;
        send("executed", d, false);
    }

    private JsonObject data() {
        JsonObject d = new JsonObject();
        d.addProperty("prompt_id", record.promptId());
        d.addProperty("timestamp", System.currentTimeMillis());
        return d;
    }

    private String clientId() {
        return record.clientId();
    }

    /** @param kept whether the history's status keeps it, as ComfyUI keeps its execution_* messages */
    private void send(String type, JsonObject data, boolean kept) {
        if (kept) {
            record.message(type, data);
        }
        if (!type.equals("execution_start") && !type.equals("execution_success") && !type.equals("execution_error")
                && !type.equals("execution_interrupted") && !type.equals("execution_cached")) {
            data.remove("timestamp");
        }
        sessions.send(clientId(), type, data);
    }

    // the stream controls RunWorkflow uses: always ready (previews are dropped per socket instead), never cancelled
    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}
}
