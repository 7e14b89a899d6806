package io.stipple.engine.workflow;

import java.util.List;

/** Everything wrong with one node: one entry of ComfyUI's {@code node_errors}. */
public record NodeError(String nodeId, String classType, List<InputError> errors, List<String> dependentOutputs) {
    public NodeError {
        errors = List.copyOf(errors);
        dependentOutputs = List.copyOf(dependentOutputs);
    }

    /** {@code 5.inputs.steps: 0 (expected: 1 to 10000) [KSampler]}, one line per error. */
    public List<String> describe() {
        return errors.stream().map(e -> nodeId + (e.input() == null ? "" : ".inputs." + e.input()) + ": " + e.message()
                + " [" + classType + "]").toList();
    }
}
