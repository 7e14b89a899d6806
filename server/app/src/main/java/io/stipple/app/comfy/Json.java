package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Request bodies of the small routes: a JSON object or a 400 that says what was expected. */
final class Json {
    private Json() {}

    static JsonObject object(byte[] body, String expected) {
        try {
            if (JsonParser.parseString(new String(body, StandardCharsets.UTF_8)) instanceof JsonObject o) {
                return o;
            }
        } catch (JsonParseException e) {
            // answered below
        }
        throw ComfyException.plain(400, "the request body is not a JSON object (expected: " + expected + ")");
    }

    /** The strings of an array member, or none when it is absent. */
    static List<String> strings(JsonObject o, String member) {
        List<String> out = new ArrayList<>();
        if (o.get(member) instanceof JsonArray a) {
            for (JsonElement e : a) {
                if (!e.isJsonPrimitive()) {
                    throw ComfyException.plain(400, member + ": expected an array of prompt ids (strings)");
                }
                out.add(e.getAsString());
            }
        } else if (o.has(member)) {
            throw ComfyException.plain(400, member + ": expected an array of prompt ids (strings)");
        }
        return out;
    }
}
