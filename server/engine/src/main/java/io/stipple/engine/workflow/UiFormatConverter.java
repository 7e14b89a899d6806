package io.stipple.engine.workflow;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The UI format ComfyUI's "Save" writes ({@code {"nodes": [...], "links": [...]}}, widget values by
 * position) to the API format the executor runs, for the node types of a {@link NodeRegistry}: each
 * node's widget values are matched to its type's widget inputs in declaration order, as the
 * frontend does. Front-end-only nodes go: notes are dropped, reroutes are followed to their source,
 * a PrimitiveNode's value is already in the widget it feeds, muted nodes (mode 2) are left out.
 * Nodes of types the registry does not know keep their links only, so the validator names them.
 */
public final class UiFormatConverter {
    /** The frontend's extra widget after a seed: what to do with it after each run, not an input. */
    private static final Set<String> SEED_CONTROLS = Set.of("fixed", "increment", "decrement", "randomize");
    private static final Set<String> DROPPED = Set.of("Note", "MarkdownNote", "PrimitiveNode", "Reroute");
    private static final int MUTED = 2;
    private static final int BYPASSED = 4;

    private final NodeRegistry registry;

    public UiFormatConverter(NodeRegistry registry) {
        this.registry = registry;
    }

    /** Whether {@code json} is a UI-format workflow rather than an API-format one. */
    public static boolean isUiFormat(JsonObject json) {
        return json.get("nodes") instanceof JsonArray && json.get("links") instanceof JsonArray;
    }

    /** @throws WorkflowValidationException for a node the conversion cannot express (a bypassed node), naming it */
    public JsonObject toApi(JsonObject ui) {
        Map<Integer, JsonObject> nodes = new LinkedHashMap<>();
        for (JsonElement e : ui.getAsJsonArray("nodes")) {
            if (e instanceof JsonObject n && n.get("id") instanceof JsonPrimitive) {
                nodes.put(n.get("id").getAsInt(), n);
            }
        }
        Map<Integer, int[]> links = new HashMap<>(); // link id -> [origin node, origin slot]
        for (JsonElement e : ui.getAsJsonArray("links")) {
            if (e instanceof JsonArray l && l.size() >= 5) {
                links.put(l.get(0).getAsInt(), new int[] {l.get(1).getAsInt(), l.get(2).getAsInt()});
            } else if (e instanceof JsonObject l) {
                links.put(l.get("id").getAsInt(), new int[] {l.get("origin_id").getAsInt(), l.get("origin_slot").getAsInt()});
            }
        }
        JsonObject api = new JsonObject();
        List<NodeError> errors = new ArrayList<>();
        for (JsonObject node : nodes.values()) {
            String id = node.get("id").getAsString();
            String type = node.get("type") instanceof JsonPrimitive t ? t.getAsString() : "?";
            int mode = node.get("mode") instanceof JsonPrimitive m ? m.getAsInt() : 0;
            if (DROPPED.contains(type) || mode == MUTED) {
                continue;
            }
            if (mode == BYPASSED) {
                errors.add(new NodeError(id, type, List.of(new InputError("unsupported_node", null,
                        "is bypassed, which the UI-format conversion does not follow yet (expected: the node enabled, muted or removed)")),
                        List.of()));
                continue;
            }
            JsonObject inputs = new JsonObject();
            Set<String> linked = new java.util.HashSet<>();
            if (node.get("inputs") instanceof JsonArray in) {
                for (JsonElement i : in) {
                    if (i instanceof JsonObject input && input.get("link") instanceof JsonPrimitive link) {
                        Optional<int[]> source = source(link.getAsInt(), links, nodes);
                        String name = input.get("name").getAsString();
                        if (source.isPresent()) {
                            JsonArray l = new JsonArray();
                            l.add(String.valueOf(source.get()[0]));
                            l.add(source.get()[1]);
                            inputs.add(name, l);
                            linked.add(name);
                        }
                    }
                }
            }
            registry.find(type).ifPresent(t -> widgets(t, node.get("widgets_values"), inputs, linked));
            JsonObject out = new JsonObject();
            out.add("inputs", inputs);
            out.addProperty("class_type", type);
            api.add(id, out);
        }
        if (!errors.isEmpty()) {
            throw new WorkflowValidationException("prompt_outputs_failed_validation", "the UI-format workflow cannot be converted", errors);
        }
        return api;
    }

    /** The node and slot a link comes from, through reroutes; empty for a PrimitiveNode (its value is in the widget) or a dangling link. */
    private static Optional<int[]> source(int linkId, Map<Integer, int[]> links, Map<Integer, JsonObject> nodes) {
        int[] from = links.get(linkId);
        for (int hops = 0; from != null && hops < 1000; hops++) {
            JsonObject origin = nodes.get(from[0]);
            String type = origin != null && origin.get("type") instanceof JsonPrimitive t ? t.getAsString() : "";
            if (type.equals("PrimitiveNode")) {
                return Optional.empty();
            }
            if (!type.equals("Reroute")) {
                return Optional.of(from);
            }
            JsonElement in = origin.getAsJsonArray("inputs").get(0).getAsJsonObject().get("link");
            from = in instanceof JsonPrimitive p ? links.get(p.getAsInt()) : null;
        }
        // a link to a node that is not there: kept, so the validator names it
        return from == null ? Optional.ofNullable(links.get(linkId)) : Optional.of(from);
    }

    private static void widgets(NodeType type, JsonElement values, JsonObject inputs, Set<String> linked) {
        List<InputSpec> widgets = type.inputs().stream().filter(s -> !s.type().isLinkOnly()).toList();
        if (values instanceof JsonObject byName) {
            for (InputSpec s : widgets) {
                if (!linked.contains(s.name()) && byName.has(s.name())) {
                    inputs.add(s.name(), byName.get(s.name()));
                }
            }
            return;
        }
        if (!(values instanceof JsonArray list)) {
            return;
        }
        int i = 0;
        for (InputSpec s : widgets) {
            if (i >= list.size()) {
                break;
            }
            JsonElement v = list.get(i++);
            if (!linked.contains(s.name())) {
                inputs.add(s.name(), v);
            }
            if (isSeed(s) && i < list.size() && list.get(i) instanceof JsonPrimitive p && p.isString()
                    && SEED_CONTROLS.contains(p.getAsString())) {
                i++;
            }
        }
    }

    private static boolean isSeed(InputSpec s) {
        return s.type() == ValueType.INT && s.name().endsWith("seed");
    }
}
