package io.stipple.app.comfy;

import com.google.gson.JsonElement;
import java.nio.charset.StandardCharsets;

/** One HTTP answer: a status, a content type and the bytes. */
record ComfyResponse(int status, String contentType, byte[] body) {

    static ComfyResponse json(int status, JsonElement body) {
        return new ComfyResponse(status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static ComfyResponse json(JsonElement body) {
        return json(200, body);
    }
}
