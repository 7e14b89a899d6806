package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One queued prompt as {@code /history} and {@code /queue} show it: its graph, its outputs by node,
 * and how it ended. Written by the job's events, read by HTTP handlers, hence synchronised.
 */
final class PromptRecord {
    private final String promptId;
    private final long number;
    private final JsonObject prompt;
    private final String clientId;
    private final Map<String, List<StoredImage>> outputs = new LinkedHashMap<>();
    private final JsonArray messages = new JsonArray();
    private volatile String jobId;
    private String statusStr;
    private boolean completed;

    PromptRecord(String promptId, long number, JsonObject prompt, String clientId) {
        this.promptId = promptId;
        this.number = number;
        this.prompt = prompt;
        this.clientId = clientId;
    }

    String promptId() {
        return promptId;
    }

    /** The queue's id for the prompt's job (set once queued): what /interrupt and /queue's delete cancel. */
    String jobId() {
        return jobId;
    }

    void jobId(String id) {
        jobId = id;
    }

    long number() {
        return number;
    }

    /** The websocket client the prompt's messages go to, or null: to every client. */
    String clientId() {
        return clientId;
    }

    synchronized void output(String nodeId, StoredImage image) {
        outputs.computeIfAbsent(nodeId, k -> new ArrayList<>()).add(image);
    }

    /** A message ComfyUI keeps in the history's status (execution_start, execution_success, execution_error...). */
    synchronized void message(String type, JsonObject data) {
        JsonArray m = new JsonArray();
        m.add(type);
        m.add(data);
        messages.add(m);
    }

    synchronized void end(boolean success) {
        statusStr = success ? "success" : "error";
        completed = success;
    }

    synchronized boolean ended() {
        return statusStr != null;
    }

    /** ComfyUI's queue item: {@code [number, prompt_id, prompt, extra_data, outputs_to_execute]}. */
    JsonArray queueItem() {
        JsonArray item = new JsonArray();
        item.add(number);
        item.add(promptId);
        item.add(prompt);
        JsonObject extra = new JsonObject();
        if (clientId != null) {
            extra.addProperty("client_id", clientId);
        }
        item.add(extra);
        item.add(new JsonArray());
        return item;
    }

    /** The history entry: {@code {"prompt": [...], "outputs": {node: {"images": [...]}}, "status": {...}, "meta": {}}}. */
    synchronized JsonObject historyEntry() {
        JsonObject entry = new JsonObject();
        entry.add("prompt", queueItem());
        JsonObject outs = new JsonObject();
        for (var e : outputs.entrySet()) {
            outs.add(e.getKey(), imagesOutput(e.getValue()));
        }
        entry.add("outputs", outs);
        JsonObject status = new JsonObject();
        status.addProperty("status_str", statusStr);
        status.addProperty("completed", completed);
        status.add("messages", messages.deepCopy());
        entry.add("status", status);
        entry.add("meta", new JsonObject());
        return entry;
    }

    static JsonObject imagesOutput(List<StoredImage> images) {
        JsonArray list = new JsonArray();
        images.forEach(i -> list.add(i.toJson()));
        JsonObject o = new JsonObject();
        o.add("images", list);
        return o;
    }
}
