package io.stipple.engine.workflow;

import com.google.gson.JsonElement;
import io.stipple.engine.pipeline.InvalidRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a ComfyUI graph: checks all of it first, then runs the nodes the output nodes need in
 * dependency order, each once, its outputs kept for every node that links to them.
 */
public final class WorkflowExecutor {
    private final NodeRegistry registry;
    private final WorkflowResources resources;

    public WorkflowExecutor(NodeRegistry registry, WorkflowResources resources) {
        this.registry = registry;
        this.resources = resources;
    }

    /** Checks the graph without running it. @throws WorkflowValidationException naming every node at fault */
    public void validate(WorkflowGraph graph) {
        new GraphValidator(registry, resources).validate(graph);
    }

    /**
     * @throws WorkflowValidationException before any node ran, when the graph cannot run
     * @throws InvalidRequestException when a node finds an input it cannot use (a LoRA for another
     *     model, a malformed latent file); the field names the node and the input, the message its class_type
     */
    public WorkflowResult run(WorkflowGraph graph, WorkflowListener listener) {
        ExecutionPlan plan = new GraphValidator(registry, resources).validate(graph);
        Map<String, List<Value>> results = new HashMap<>();
        try (NodeContext context = new NodeContext(resources, listener)) {
            for (String id : plan.order()) {
                GraphNode node = graph.nodes().get(id);
                NodeType type = registry.find(node.classType()).orElseThrow();
                Map<String, Object> inputs = new LinkedHashMap<>(plan.literals().get(id));
                for (InputSpec spec : type.inputs()) {
                    JsonElement v = node.inputs().get(spec.name());
                    GraphNode.asLink(v).ifPresent(link -> inputs.put(spec.name(), results.get(link.nodeId()).get(link.output())));
                }
                listener.executing(id, node.classType());
                context.enter(id);
                List<Value> out;
                try {
                    out = type.run(new NodeInputs(inputs), context);
                } catch (WorkflowValidationException e) {
                    throw e;
                } catch (InvalidRequestException e) {
                    throw atNode(node, e);
                } catch (IOException e) {
                    throw new UncheckedIOException("node " + id + " (" + node.classType() + "): " + e.getMessage(), e);
                }
                results.put(id, out);
            }
            return new WorkflowResult(context.outputs(), context.warnings());
        }
    }

    /** The node's error as {@code 12.inputs.lora_name: ... [LoraLoader]}. */
    private static InvalidRequestException atNode(GraphNode node, InvalidRequestException e) {
        String message = e.getMessage();
        String prefix = e.field() + ": ";
        String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        InvalidRequestException wrapped = new InvalidRequestException(node.id() + ".inputs." + e.field(), detail + " [" + node.classType() + "]");
        wrapped.initCause(e);
        return wrapped;
    }
}
