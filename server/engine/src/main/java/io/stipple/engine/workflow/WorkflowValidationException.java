package io.stipple.engine.workflow;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.stipple.engine.pipeline.InvalidRequestException;
import java.util.List;
import java.util.stream.Stream;

/**
 * A graph that cannot run, refused before any node ran: every problem found, by node, in ComfyUI's
 * {@code node_errors} shape ({@link #toJson()}), and as one message naming node id, input and
 * class_type for each.
 */
public final class WorkflowValidationException extends InvalidRequestException {
    private final String type;
    private final String summary;
    private final List<NodeError> nodeErrors;

    /**
     * @param type ComfyUI's error type: {@code prompt_outputs_failed_validation} when nodes are at
     *     fault, {@code prompt_no_outputs}, {@code invalid_prompt}
     */
    public WorkflowValidationException(String type, String summary, List<NodeError> nodeErrors) {
        super(field(nodeErrors), summary);
        this.type = type;
        this.summary = summary;
        this.nodeErrors = List.copyOf(nodeErrors);
    }

    public String type() {
        return type;
    }

    public List<NodeError> nodeErrors() {
        return nodeErrors;
    }

    /** The problem with the graph as a whole ("Prompt outputs failed validation", "Prompt has no outputs"). */
    public String summary() {
        return summary;
    }

    @Override
    public String getMessage() {
        List<String> lines = nodeErrors.stream().flatMap(e -> e.describe().stream()).toList();
        return lines.isEmpty() ? summary : String.join("; ", lines);
    }

    /** ComfyUI's /prompt error body: {@code {"error": {...}, "node_errors": {...}}}. */
    public JsonObject toJson() {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.addProperty("message", summary);
        error.addProperty("details", getMessage());
        error.add("extra_info", new JsonObject());
        JsonObject nodes = new JsonObject();
        for (NodeError n : nodeErrors) {
            JsonArray errors = new JsonArray();
            for (InputError e : n.errors()) {
                JsonObject o = new JsonObject();
                o.addProperty("type", e.type());
                o.addProperty("message", e.message());
                o.addProperty("details", e.input() == null ? e.message() : e.input() + ": " + e.message());
                JsonObject extra = new JsonObject();
                if (e.input() != null) {
                    extra.addProperty("input_name", e.input());
                }
                o.add("extra_info", extra);
                errors.add(o);
            }
            JsonObject node = new JsonObject();
            node.add("errors", errors);
            JsonArray dependent = new JsonArray();
            n.dependentOutputs().forEach(dependent::add);
            node.add("dependent_outputs", dependent);
            node.addProperty("class_type", n.classType());
            nodes.add(n.nodeId(), node);
        }
        JsonObject body = new JsonObject();
        body.add("error", error);
        body.add("node_errors", nodes);
        return body;
    }

    private static String field(List<NodeError> errors) {
        return Stream.ofNullable(errors).flatMap(List::stream).findFirst()
                .map(e -> e.nodeId() + (e.errors().isEmpty() || e.errors().get(0).input() == null ? "" : ".inputs." + e.errors().get(0).input()))
                .orElse("prompt");
    }
}
