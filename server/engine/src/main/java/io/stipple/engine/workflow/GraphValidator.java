package io.stipple.engine.workflow;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import io.stipple.engine.text.PromptWeights;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a whole graph before anything runs, as ComfyUI's validate_prompt does, and collects every
 * problem rather than stopping at the first: unknown and refused node types, missing inputs, values
 * of the wrong type or out of range, names not in their list (samplers, files), links to nodes or
 * outputs that do not exist or give another type, and cycles.
 */
public final class GraphValidator {
    private final NodeRegistry registry;
    private final WorkflowResources resources;

    public GraphValidator(NodeRegistry registry, WorkflowResources resources) {
        this.registry = registry;
        this.resources = resources;
    }

    /** @throws WorkflowValidationException listing every problem, by node */
    ExecutionPlan validate(WorkflowGraph graph) {
        Map<String, List<InputError>> errors = new LinkedHashMap<>();
        Map<String, Map<String, Object>> literals = new HashMap<>();
        for (GraphNode node : graph.nodes().values()) {
            List<InputError> found = new ArrayList<>();
            Map<String, Object> values = new LinkedHashMap<>();
            checkNode(graph, node, found, values);
            literals.put(node.id(), values);
            if (!found.isEmpty()) {
                errors.put(node.id(), found);
            }
        }
        List<String> outputs = graph.nodes().values().stream()
                .filter(n -> registry.find(n.classType()).map(NodeType::isOutput).orElse(false)).map(GraphNode::id).toList();
        cycles(graph).forEach((id, cycle) -> errors.computeIfAbsent(id, k -> new ArrayList<>())
                .add(new InputError("dependency_cycle", null, "is part of a cycle: " + String.join(" -> ", cycle))));
        if (!errors.isEmpty()) {
            List<NodeError> nodeErrors = errors.entrySet().stream().map(e -> new NodeError(e.getKey(),
                    graph.nodes().get(e.getKey()).classType(), e.getValue(), dependentOutputs(graph, e.getKey(), outputs))).toList();
            throw new WorkflowValidationException("prompt_outputs_failed_validation", "Prompt outputs failed validation", nodeErrors);
        }
        if (outputs.isEmpty()) {
            throw new WorkflowValidationException("prompt_no_outputs",
                    "Prompt has no outputs (expected: at least one output node such as SaveImage, PreviewImage or SaveLatent)", List.of());
        }
        return new ExecutionPlan(order(graph, outputs), literals);
    }

    private void checkNode(WorkflowGraph graph, GraphNode node, List<InputError> errors, Map<String, Object> values) {
        Optional<String> refusal = registry.refusal(node.classType());
        if (refusal.isPresent()) {
            errors.add(new InputError("unsupported_node", null, node.classType() + " is not supported: " + refusal.get()));
            return;
        }
        Optional<NodeType> type = registry.find(node.classType());
        if (type.isEmpty()) {
            errors.add(new InputError("invalid_class_type", null, "'" + node.classType()
                    + "' is not a node type Stipple runs (expected: one of " + String.join(", ",
                            registry.types().stream().map(NodeType::classType).toList()) + ")"));
            return;
        }
        for (InputSpec spec : type.get().inputs()) {
            JsonElement value = node.inputs().get(spec.name());
            Optional<Link> link = GraphNode.asLink(value);
            if (link.isPresent()) {
                checkLink(graph, spec, link.get(), errors);
            } else if (value == null || value.isJsonNull()) {
                if (spec.type().isLinkOnly() || spec.defaultValue() == null) {
                    errors.add(new InputError("required_input_missing", spec.name(), "missing (expected: "
                            + (spec.type().isLinkOnly() ? "a link to a " + spec.type() + " output" : expected(spec)) + ")"));
                } else {
                    values.put(spec.name(), spec.defaultValue());
                }
            } else if (spec.type().isLinkOnly()) {
                errors.add(new InputError("bad_linked_input", spec.name(), value + " (expected: a link [\"node id\", output index] to a "
                        + spec.type() + " output)"));
            } else {
                literal(spec, value, errors).ifPresent(v -> values.put(spec.name(), v));
            }
        }
    }

    private void checkLink(WorkflowGraph graph, InputSpec spec, Link link, List<InputError> errors) {
        GraphNode source = graph.nodes().get(link.nodeId());
        if (source == null) {
            errors.add(new InputError("bad_linked_input", spec.name(), link + " links to node " + link.nodeId()
                    + ", which is not in the workflow (expected: a link to a node of the workflow)"));
            return;
        }
        Optional<NodeType> sourceType = registry.find(source.classType());
        if (sourceType.isEmpty()) {
            return; // the source node's own error says why
        }
        List<ValueType> outs = sourceType.get().outputs();
        if (link.output() >= outs.size()) {
            errors.add(new InputError("bad_linked_input", spec.name(), link + " links to output " + link.output() + " of node "
                    + source.id() + " (" + source.classType() + "), which has " + outs.size() + " output" + (outs.size() == 1 ? "" : "s")
                    + " (expected: 0 to " + (outs.size() - 1) + ")"));
            return;
        }
        ValueType given = outs.get(link.output());
        if (given != spec.type()) {
            errors.add(new InputError("return_type_mismatch", spec.name(), link + " is " + source.classType() + " output "
                    + link.output() + ", a " + given + " (expected: " + spec.type() + ")"));
        }
    }

    private Optional<Object> literal(InputSpec spec, JsonElement value, List<InputError> errors) {
        if (!(value instanceof JsonPrimitive p)) {
            errors.add(new InputError("invalid_input_type", spec.name(), GraphParser.kind(value) + " (expected: " + expected(spec) + ")"));
            return Optional.empty();
        }
        switch (spec.type()) {
            case INT, FLOAT -> {
                BigDecimal number = number(p);
                boolean integral = number != null && number.stripTrailingZeros().scale() <= 0;
                if (number == null || (spec.type() == ValueType.INT && !integral)) {
                    errors.add(new InputError("invalid_input_type", spec.name(), p + " (expected: " + expected(spec) + ")"));
                    return Optional.empty();
                }
                if (number.compareTo(spec.min()) < 0) {
                    errors.add(new InputError("value_smaller_than_min", spec.name(), p + " (expected: " + range(spec) + ")"));
                    return Optional.empty();
                }
                if (number.compareTo(spec.max()) > 0) {
                    errors.add(new InputError("value_bigger_than_max", spec.name(), p + " (expected: " + range(spec) + ")"));
                    return Optional.empty();
                }
                // seeds above 2^63 keep their 64 bits, as torch.manual_seed reads them
                return Optional.of(spec.type() == ValueType.INT ? (Object) number.toBigInteger().longValue() : (Object) number.doubleValue());
            }
            case BOOLEAN -> {
                if (!p.isBoolean()) {
                    errors.add(new InputError("invalid_input_type", spec.name(), p + " (expected: true or false)"));
                    return Optional.empty();
                }
                return Optional.of(p.getAsBoolean());
            }
            case STRING -> {
                String text = p.getAsString();
                if (spec.choices() instanceof InputSpec.PromptSyntax) {
                    Optional<String> problem = PromptWeights.problem(text);
                    if (problem.isPresent()) {
                        errors.add(new InputError("value_not_valid", spec.name(), problem.get()));
                        return Optional.empty();
                    }
                }
                return Optional.of(text);
            }
            case COMBO -> {
                if (!p.isString()) {
                    errors.add(new InputError("invalid_input_type", spec.name(), p + " (expected: " + expected(spec) + ")"));
                    return Optional.empty();
                }
                String name = p.getAsString();
                Optional<String> problem = choiceProblem(spec, name);
                if (problem.isPresent()) {
                    errors.add(new InputError("value_not_in_list", spec.name(), problem.get()));
                    return Optional.empty();
                }
                return Optional.of(name);
            }
            default -> throw new IllegalStateException(spec.type() + " is link-only");
        }
    }

    private Optional<String> choiceProblem(InputSpec spec, String name) {
        return switch (spec.choices()) {
            case InputSpec.Fixed f -> notIn(name, f.names());
            case InputSpec.Samplers s -> notIn(name, resources.samplerNames());
            case InputSpec.Schedulers s -> notIn(name, resources.schedulerNames());
            case InputSpec.Files f -> resources.checkFile(f.kind(), name);
            case InputSpec.PromptSyntax p -> Optional.empty(); // a STRING rule, never a COMBO's
        };
    }

    private static Optional<String> notIn(String name, List<String> names) {
        return names.contains(name) ? Optional.empty()
                : Optional.of("'" + name + "' (expected: one of " + String.join(", ", names) + ")");
    }

    private static BigDecimal number(JsonPrimitive p) {
        try {
            if (p.isNumber()) {
                return new BigDecimal(p.getAsString());
            }
            if (p.isString()) {
                return new BigDecimal(p.getAsString().trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static String expected(InputSpec spec) {
        return switch (spec.type()) {
            case INT -> "an integer, " + range(spec);
            case FLOAT -> "a number, " + range(spec);
            case STRING -> "a string";
            case BOOLEAN -> "true or false";
            case COMBO -> spec.choices() instanceof InputSpec.Files f ? "a " + f.kind().name().toLowerCase() + " file name" : "a name";
            default -> "a link to a " + spec.type() + " output";
        };
    }

    private static String range(InputSpec spec) {
        return spec.min().stripTrailingZeros().toPlainString() + " to " + spec.max().stripTrailingZeros().toPlainString();
    }

    /** Every node on a cycle, with the cycle it is on ("3 -> 5 -> 3"). */
    private static Map<String, List<String>> cycles(WorkflowGraph graph) {
        Map<String, List<String>> onCycle = new LinkedHashMap<>();
        Map<String, Integer> state = new HashMap<>(); // 1 on the path, 2 done
        for (String start : graph.nodes().keySet()) {
            if (!state.containsKey(start)) {
                walk(graph, start, state, new ArrayList<>(), onCycle);
            }
        }
        return onCycle;
    }

    private static void walk(WorkflowGraph graph, String id, Map<String, Integer> state, List<String> path,
            Map<String, List<String>> onCycle) {
        state.put(id, 1);
        path.add(id);
        for (String next : linked(graph, id)) {
            Integer s = state.get(next);
            if (s == null) {
                walk(graph, next, state, path, onCycle);
            } else if (s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                cycle.subList(0, cycle.size() - 1).forEach(n -> onCycle.putIfAbsent(n, cycle));
            }
        }
        path.removeLast();
        state.put(id, 2);
    }

    /** The nodes this node's inputs link to (existing ones), in input order. */
    private static Set<String> linked(WorkflowGraph graph, String id) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonElement v : graph.nodes().get(id).inputs().values()) {
            GraphNode.asLink(v).map(Link::nodeId).filter(graph.nodes()::containsKey).ifPresent(out::add);
        }
        return out;
    }

    private static List<String> dependentOutputs(WorkflowGraph graph, String id, List<String> outputs) {
        return outputs.stream().filter(o -> ancestors(graph, o).contains(id)).toList();
    }

    private static Set<String> ancestors(WorkflowGraph graph, String id) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(id));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (seen.add(n)) {
                todo.addAll(linked(graph, n));
            }
        }
        return seen;
    }

    /** Dependency order of what the outputs need: each output in file order, its inputs first. */
    private static List<String> order(WorkflowGraph graph, List<String> outputs) {
        Set<String> done = new LinkedHashSet<>();
        for (String o : outputs) {
            visit(graph, o, done);
        }
        return List.copyOf(done);
    }

    private static void visit(WorkflowGraph graph, String id, Set<String> done) {
        if (done.contains(id)) {
            return;
        }
        for (String next : linked(graph, id)) {
            visit(graph, next, done);
        }
        done.add(id);
    }
}
