package io.stipple.app.comfy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.grpc.StippleService;
import io.stipple.engine.workflow.WorkflowValidationException;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.Scheduling;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * POST /prompt: hands the graph to RunWorkflow (the same checks, limits and queue as gRPC) and
 * answers with the prompt's id, or with ComfyUI's error body when the graph was refused.
 */
final class PromptBridge {
    private final StippleService service;
    private final PromptHistory history;
    private final ComfySessions sessions;
    private final ImageStore images;
    private final UploadedImages uploads;
    private final Runnable queueChanged;

    PromptBridge(StippleService service, PromptHistory history, ComfySessions sessions, ImageStore images, UploadedImages uploads,
            Runnable queueChanged) {
        this.service = service;
        this.history = history;
        this.sessions = sessions;
        this.images = images;
        this.uploads = uploads;
        this.queueChanged = queueChanged;
    }

    ComfyResponse submit(byte[] body) {
        JsonObject request = parse(body);
        if (!(request.get("prompt") instanceof JsonObject prompt)) {
            throw ComfyException.prompt(400, "no_prompt", "prompt: " + (request.has("prompt") ? "not a JSON object" : "missing")
                    + " (expected: {\"prompt\": {...a graph in API format...}, \"client_id\": \"...\"})");
        }
        String clientId = null;
        if (request.get("client_id") instanceof JsonElement c && !c.isJsonNull()) {
            if (!c.isJsonPrimitive() || !c.getAsJsonPrimitive().isString() || c.getAsString().length() > 128) {
                throw ComfyException.prompt(400, "invalid_prompt", "client_id: expected a string of at most 128 characters");
            }
            clientId = c.getAsString();
        }
        // ComfyUI's prompt ids are UUIDs; the job has its own id in the queue
        PromptRecord record = new PromptRecord(UUID.randomUUID().toString(), history.nextNumber(), prompt, clientId);
        PromptCall call = new PromptCall(record, sessions, images, queueChanged);
        history.add(record);
        RunWorkflowRequest.Builder r = RunWorkflowRequest.newBuilder().setWorkflow(prompt.toString());
        attachUploads(prompt, r);
        if (clientId != null) {
            r.setScheduling(Scheduling.newBuilder().setClientId(clientId));
        }
        service.runWorkflow(r.build(), call);
        if (call.refusal() != null) {
            history.remove(record.promptId());
            throw refused(call.refusal());
        }
        queueChanged.run();
        JsonObject answer = new JsonObject();
        answer.addProperty("prompt_id", record.promptId());
        answer.addProperty("number", record.number());
        answer.add("node_errors", new JsonObject());
        return ComfyResponse.json(answer);
    }

    /**
     * The uploaded images the graph's LoadImage nodes name, sent with the request as its files (RunWorkflow
     * reads images from the request only); a name not uploaded is left for the executor to refuse by node.
     */
    private void attachUploads(JsonObject prompt, RunWorkflowRequest.Builder r) {
        for (var node : prompt.entrySet()) {
            if (node.getValue() instanceof JsonObject n && n.get("class_type") instanceof JsonElement type && type.isJsonPrimitive()
                    && type.getAsString().equals("LoadImage") && n.get("inputs") instanceof JsonObject inputs
                    && inputs.get("image") instanceof JsonElement image && image.isJsonPrimitive()) {
                byte[] bytes = uploads.get(image.getAsString());
                if (bytes != null) {
                    r.putFiles(image.getAsString(), com.google.protobuf.ByteString.copyFrom(bytes));
                }
            }
        }
    }

    private static JsonObject parse(byte[] body) {
        try {
            if (JsonParser.parseString(new String(body, StandardCharsets.UTF_8)) instanceof JsonObject o) {
                return o;
            }
        } catch (JsonParseException e) {
            // answered below
        }
        throw ComfyException.prompt(400, "invalid_prompt", "the request body is not a JSON object (expected: {\"prompt\": {...}, \"client_id\": \"...\"})");
    }

    /** A refusal in ComfyUI's shape: node_errors when nodes are at fault, the gRPC status's message otherwise. */
    private static ComfyException refused(Throwable t) {
        Status status = t instanceof StatusRuntimeException e ? e.getStatus() : Status.fromThrowable(t);
        if (status.getCause() instanceof WorkflowValidationException v) {
            return new ComfyException(400, v.toJson());
        }
        String message = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, OUT_OF_RANGE -> ComfyException.prompt(400, "invalid_prompt", message);
            case RESOURCE_EXHAUSTED, UNAVAILABLE -> ComfyException.prompt(503, "server_busy", message);
            default -> ComfyException.prompt(500, "server_error", message);
        };
    }
}
