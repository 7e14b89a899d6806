package io.stipple.engine.workflow;

import java.util.List;

/** A finished run: every output node's result in the order they ran, and warnings (LoRA keys not loaded...). */
public record WorkflowResult(List<WorkflowOutput> outputs, List<String> warnings) {
    public WorkflowResult {
        outputs = List.copyOf(outputs);
        warnings = List.copyOf(warnings);
    }
}
