package io.stipple.engine.workflow;

import java.util.List;
import java.util.Map;

/**
 * A checked graph: the nodes to run in dependency order (only those an output node needs), and
 * each node's literal inputs converted to Long, Double, String or Boolean, defaults filled in.
 */
record ExecutionPlan(List<String> order, Map<String, Map<String, Object>> literals) {}
