package io.stipple.engine.workflow;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.stipple.engine.pipeline.QuotedValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an API-format graph: {@code {"id": {"class_type": "...", "inputs": {...}}, ...}}. */
public final class GraphParser {
    private GraphParser() {}

    /** @throws WorkflowValidationException when the text is not JSON or not a graph; nodes at fault are named */
    public static WorkflowGraph parse(String json) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException | IllegalStateException e) {
            throw new WorkflowValidationException("invalid_prompt", "the workflow is not valid JSON: " + rootMessage(e), List.of());
        }
        if (!(root instanceof JsonObject object)) {
            throw new WorkflowValidationException("invalid_prompt",
                    "the workflow is " + kind(root) + " (expected: an API-format object of nodes by id)", List.of());
        }
        return parse(object);
    }

    /** API format, or the UI format converted for the registry's node types. */
    public static WorkflowGraph parse(String json, NodeRegistry registry) {
        JsonElement root;
        try {
            root = JsonParser.parseString(json);
        } catch (JsonParseException | IllegalStateException e) {
            throw new WorkflowValidationException("invalid_prompt", "the workflow is not valid JSON: " + rootMessage(e), List.of());
        }
        if (root instanceof JsonObject o && UiFormatConverter.isUiFormat(o)) {
            return parse(new UiFormatConverter(registry).toApi(o));
        }
        return parse(json);
    }

    public static WorkflowGraph parse(JsonObject object) {
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        List<NodeError> errors = new ArrayList<>();
        for (var e : object.entrySet()) {
            String id = e.getKey();
            if (!(e.getValue() instanceof JsonObject node)) {
                errors.add(nodeError(id, "?", "is " + kind(e.getValue()) + " (expected: an object with class_type and inputs)"));
                continue;
            }
            if (!(node.get("class_type") instanceof JsonPrimitive type) || !type.isString()) {
                errors.add(nodeError(id, "?", "class_type is " + kind(node.get("class_type")) + " (expected: a node type name)"));
                continue;
            }
            JsonElement inputs = node.get("inputs");
            if (inputs != null && !(inputs instanceof JsonObject)) {
                errors.add(nodeError(id, type.getAsString(), "inputs is " + kind(inputs) + " (expected: an object)"));
                continue;
            }
            Map<String, JsonElement> in = new LinkedHashMap<>();
            if (inputs instanceof JsonObject o) {
                o.entrySet().forEach(i -> in.put(i.getKey(), i.getValue()));
            }
            nodes.put(id, new GraphNode(id, type.getAsString(), in));
        }
        if (!errors.isEmpty()) {
            throw new WorkflowValidationException("invalid_prompt", "the workflow has malformed nodes", errors);
        }
        return new WorkflowGraph(nodes);
    }

    private static NodeError nodeError(String id, String classType, String message) {
        return new NodeError(id, classType, List.of(new InputError("invalid_prompt", null, message)), List.of());
    }

    static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "missing";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        return e.toString();
    }

    private static final java.util.regex.Pattern WHERE = java.util.regex.Pattern.compile("line (\\d+) column (\\d+)");

    /**
     * Where a JSON text went wrong, as a user reads it ("malformed JSON at line 1 column 6"): gson's
     * own message is advice for programmers, with a link and a line break.
     */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        java.util.regex.Matcher m = WHERE.matcher(message);
        if (m.find()) {
            return (t instanceof java.io.EOFException ? "it ends early" : "malformed JSON") + " at line " + m.group(1) + " column " + m.group(2);
        }
        return QuotedValue.of(message.lines().findFirst().orElse(t.getClass().getSimpleName()));
    }
}
