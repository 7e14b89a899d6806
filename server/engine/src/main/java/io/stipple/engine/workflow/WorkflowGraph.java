package io.stipple.engine.workflow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An API-format graph: nodes by id, in the file's order. */
public record WorkflowGraph(Map<String, GraphNode> nodes) {
    public WorkflowGraph {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }
}
