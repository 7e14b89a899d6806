package io.stipple.engine.workflow;

import io.stipple.engine.workflow.nodes.StandardNodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The node types a workflow may use, and the ComfyUI nodes refused by name with the reason. */
public final class NodeRegistry {
    private final Map<String, NodeType> types = new LinkedHashMap<>();
    private final Map<String, String> refused = new LinkedHashMap<>();

    public NodeRegistry(List<NodeType> types, Map<String, String> refused) {
        types.forEach(t -> this.types.put(t.classType(), t));
        this.refused.putAll(refused);
    }

    /** Every node Stipple runs, and the inpainting nodes refused until inpainting models are supported. */
    public static NodeRegistry standard() {
        return new NodeRegistry(StandardNodes.all(), StandardNodes.refused());
    }

    public Optional<NodeType> find(String classType) {
        return Optional.ofNullable(types.get(classType));
    }

    /** Why this known ComfyUI node is not run, or empty. */
    public Optional<String> refusal(String classType) {
        return Optional.ofNullable(refused.get(classType));
    }

    public List<NodeType> types() {
        return List.copyOf(types.values());
    }
}
