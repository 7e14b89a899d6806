package io.stipple.app.comfy;

import com.google.gson.JsonObject;

/** An HTTP error answer: its status and its JSON body (ComfyUI's shapes), never a stack trace. */
final class ComfyException extends RuntimeException {
    private final int status;
    private final JsonObject body;

    ComfyException(int status, JsonObject body) {
        super(body.toString(), null, false, false);
        this.status = status;
        this.body = body;
    }

    /** ComfyUI's /prompt error shape with no node at fault: {@code {"error": {type, message, details}, "node_errors": {}}}. */
    static ComfyException prompt(int status, String type, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("type", type);
        error.addProperty("message", message);
        error.addProperty("details", message);
        error.add("extra_info", new JsonObject());
        JsonObject body = new JsonObject();
        body.add("error", error);
        body.add("node_errors", new JsonObject());
        return new ComfyException(status, body);
    }

    /** Any other route's error: {@code {"error": message}}. */
    static ComfyException plain(int status, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        return new ComfyException(status, body);
    }

    int status() {
        return status;
    }

    JsonObject body() {
        return body;
    }
}
