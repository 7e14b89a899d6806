package io.stipple.app.comfy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.stipple.app.models.ModelFile;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeRegistry;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/**
 * GET /object_info and /object_info/{class}: the nodes this server runs, in ComfyUI's shape, so
 * that clients that build graphs from it see the real inputs and choices (models, samplers).
 */
final class ObjectInfo {
    private final NodeRegistry nodes = NodeRegistry.standard();
    private final PluginRegistry plugins;
    private final ModelRepository models;

    ObjectInfo(PluginRegistry plugins, ModelRepository models) {
        this.plugins = plugins;
        this.models = models;
    }

    ComfyResponse all() {
        JsonObject o = new JsonObject();
        for (NodeType t : nodes.types()) {
            o.add(t.classType(), describe(t));
        }
        return ComfyResponse.json(o);
    }

    /** One class; {@code {}} for an unknown one, as ComfyUI answers. */
    ComfyResponse one(String classType) {
        JsonObject o = new JsonObject();
        nodes.find(classType).ifPresent(t -> o.add(t.classType(), describe(t)));
        return ComfyResponse.json(o);
    }

    private JsonObject describe(NodeType t) {
        JsonObject required = new JsonObject();
        JsonObject optional = new JsonObject();
        JsonArray requiredOrder = new JsonArray();
        JsonArray optionalOrder = new JsonArray();
        for (InputSpec in : t.inputs()) {
            // ComfyUI lists its widgets as required too (a default is what its frontend fills in)
            required.add(in.name(), input(in));
            requiredOrder.add(in.name());
        }
        JsonObject input = new JsonObject();
        input.add("required", required);
        input.add("optional", optional);
        JsonObject order = new JsonObject();
        order.add("required", requiredOrder);
        order.add("optional", optionalOrder);
        JsonArray output = new JsonArray();
        JsonArray isList = new JsonArray();
        for (ValueType v : t.outputs()) {
            output.add(v.name());
            isList.add(false);
        }
        JsonObject o = new JsonObject();
        o.add("input", input);
        o.add("input_order", order);
        o.add("output", output);
        o.add("output_is_list", isList);
        o.add("output_name", output.deepCopy());
        o.addProperty("name", t.classType());
        o.addProperty("display_name", t.classType());
        o.addProperty("description", "");
        o.addProperty("python_module", "nodes");
        o.addProperty("category", "");
        o.addProperty("output_node", t.isOutput());
        return o;
    }

    /** {@code [type, {default, min, max}]}; a COMBO's type is its list of names, as ComfyUI writes it. */
    private JsonArray input(InputSpec in) {
        JsonArray a = new JsonArray();
        if (in.type() == ValueType.COMBO) {
            JsonArray names = new JsonArray();
            choices(in).forEach(names::add);
            a.add(names);
        } else {
            a.add(in.type().name());
        }
        JsonObject options = new JsonObject();
        if (in.defaultValue() != null) {
            options.add("default", literal(in.defaultValue()));
        }
        if (in.min() != null) {
            options.addProperty("min", in.min());
        }
        if (in.max() != null) {
            options.addProperty("max", in.max());
        }
        a.add(options);
        return a;
    }

    private List<String> choices(InputSpec in) {
        return switch (in.choices()) {
            case InputSpec.Fixed f -> f.names();
            case InputSpec.Samplers s -> plugins.samplerNames();
            case InputSpec.Schedulers s -> plugins.schedulerNames();
            case InputSpec.Files f -> switch (f.kind()) {
                case CHECKPOINT -> files(ModelKind.CHECKPOINT);
                case LORA -> files(ModelKind.LORA);
                case VAE -> files(ModelKind.VAE);
                // images and latents come with each request on this server: there is no input folder to list
                case IMAGE, LATENT -> List.of();
            };
            case InputSpec.PromptSyntax p -> List.of(); // a STRING, not a list of names
            case null -> List.of();
        };
    }

    private List<String> files(ModelKind kind) {
        try {
            return models.list(kind).stream().map(ModelFile::name).sorted().toList();
        } catch (RuntimeException e) {
            return List.of(); // an unreadable folder lists nothing rather than failing the whole answer
        }
    }

    private static JsonElement literal(Object v) {
        return switch (v) {
            case Boolean b -> new JsonPrimitive(b);
            case Number n -> new JsonPrimitive(n);
            default -> new JsonPrimitive(v.toString());
        };
    }
}
