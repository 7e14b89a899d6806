package io.stipple.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.stipple.engine.workflow.NodeRegistry;
import io.stipple.engine.workflow.UiFormatConverter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow file as `stipple run` sends it: API-format JSON with the --set overrides applied, the
 * local files its LoadImage and LoadLatent nodes name (sent with the request: a server never reads
 * the client's paths), and, embedded, model names that are local files made absolute.
 */
final class WorkflowFile {
    /** Inputs that name files the client sends. */
    private static final Map<String, String> FILE_INPUTS = Map.of("LoadImage", "image", "LoadLatent", "latent");
    /** Inputs that name model files. */
    private static final List<String> MODEL_INPUTS = List.of("ckpt_name", "lora_name");

    private final JsonObject graph;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    private WorkflowFile(JsonObject graph) {
        this.graph = graph;
    }

    static WorkflowFile read(Path file, List<String> sets, boolean embedded) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new UserError(file + ": not valid JSON (" + io.stipple.engine.workflow.GraphParser.rootMessage(e) + ")");
        }
        if (!(root instanceof JsonObject graph)) {
            throw new UserError(file + ": not a workflow (expected: ComfyUI's API format, an object of nodes by id)");
        }
        if (UiFormatConverter.isUiFormat(graph)) {
            // converted here, so that --set and the files to send see the API graph's node ids and inputs
            graph = new UiFormatConverter(NodeRegistry.standard()).toApi(graph);
        }
        WorkflowFile w = new WorkflowFile(graph);
        sets.forEach(w::set);
        w.localFiles(file.toAbsolutePath().getParent(), embedded);
        return w;
    }

    /** {@code 3.seed=42}: node 3's input seed becomes 42 (JSON values as JSON, anything else as text). */
    private void set(String assignment) {
        int eq = assignment.indexOf('=');
        int dot = assignment.indexOf('.');
        if (eq < 0 || dot < 1 || dot > eq - 2) {
            throw new UserError("--set " + assignment + " (expected: NODE_ID.INPUT=VALUE, e.g. 3.seed=42)");
        }
        String id = assignment.substring(0, dot);
        String input = assignment.substring(dot + 1, eq);
        if (!(graph.get(id) instanceof JsonObject node)) {
            throw new UserError("--set " + assignment + ": there is no node " + id + " (expected: one of " + graph.keySet() + ")");
        }
        if (!(node.get("inputs") instanceof JsonObject)) {
            node.add("inputs", new JsonObject());
        }
        node.getAsJsonObject("inputs").add(input, value(assignment.substring(eq + 1)));
    }

    private static JsonElement value(String text) {
        try {
            JsonElement v = JsonParser.parseString(text);
            if (v.isJsonPrimitive() || v.isJsonArray()) {
                return v;
            }
        } catch (JsonParseException e) {
            // plain text
        }
        return new JsonPrimitive(text);
    }

    private void localFiles(Path folder, boolean embedded) {
        for (var e : graph.entrySet()) {
            if (!(e.getValue() instanceof JsonObject node) || !(node.get("inputs") instanceof JsonObject inputs)) {
                continue;
            }
            String classType = node.get("class_type") instanceof JsonPrimitive p ? p.getAsString() : "";
            String fileInput = FILE_INPUTS.get(classType);
            if (fileInput != null && inputs.get(fileInput) instanceof JsonPrimitive p && p.isString()) {
                local(p.getAsString(), folder).ifPresent(path -> files.put(p.getAsString(), read(path, e.getKey() + "." + fileInput)));
            }
            if (embedded) {
                for (String m : MODEL_INPUTS) {
                    if (inputs.get(m) instanceof JsonPrimitive p && p.isString()) {
                        String name = p.getAsString();
                        local(name, folder).ifPresent(path -> inputs.addProperty(m, path.toAbsolutePath().toString()));
                    }
                }
            }
        }
    }

    /** A name as a local file: as given (from the working folder), else beside the workflow file. */
    private static java.util.Optional<Path> local(String name, Path folder) {
        try {
            Path p = Path.of(name);
            if (Files.isRegularFile(p)) {
                return java.util.Optional.of(p);
            }
            Path beside = folder.resolve(name);
            return Files.isRegularFile(beside) ? java.util.Optional.of(beside) : java.util.Optional.empty();
        } catch (java.nio.file.InvalidPathException e) {
            return java.util.Optional.empty();
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    String json() {
        return graph.toString();
    }

    Map<String, byte[]> files() {
        return files;
    }
}
