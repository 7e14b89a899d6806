package io.stipple.engine.workflow;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One node of an API-format graph: its id, class_type and inputs as the JSON gave them. */
public record GraphNode(String id, String classType, Map<String, JsonElement> inputs) {
    public GraphNode {
        // insertion order kept: inputs are visited in the file's order, as ComfyUI does
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** The input as a link, when it has a link's shape: a two-element array of a node id and an integer. */
    public Optional<Link> link(String input) {
        return asLink(inputs.get(input));
    }

    static Optional<Link> asLink(JsonElement value) {
        if (value instanceof JsonArray a && a.size() == 2 && a.get(0) instanceof JsonPrimitive id
                && (id.isString() || id.isNumber()) && a.get(1) instanceof JsonPrimitive index && index.isNumber()) {
            double d = index.getAsDouble();
            if (d == Math.rint(d) && d >= 0 && d <= Integer.MAX_VALUE) {
                return Optional.of(new Link(id.getAsString(), (int) d));
            }
        }
        return Optional.empty();
    }
}
