package io.stipple.app.grpc;

import com.google.gson.JsonElement;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.workflow.GraphNode;
import io.stipple.engine.workflow.WorkflowGraph;

/**
 * The server's own limits on a checked graph, beyond ComfyUI's ranges: the image sizes and batches
 * Generate accepts. ComfyUI lets EmptyLatentImage ask for 16384² × 4096, which would only exhaust
 * the heap every other job shares.
 */
final class WorkflowLimits {
    private WorkflowLimits() {}

    static void check(WorkflowGraph graph) {
        for (GraphNode node : graph.nodes().values()) {
            if (node.classType().equals("EmptyLatentImage")) {
                atMost(node, "width", 512, GenerateRequestValidator.MAX_SIZE);
                atMost(node, "height", 512, GenerateRequestValidator.MAX_SIZE);
                atMost(node, "batch_size", 1, GenerateRequestValidator.MAX_BATCH);
            }
            if (node.classType().equals("LatentUpscale")) {
                atMost(node, "width", 512, GenerateRequestValidator.MAX_SIZE);
                atMost(node, "height", 512, GenerateRequestValidator.MAX_SIZE);
            }
        }
    }

    private static void atMost(GraphNode node, String input, long defaultValue, int max) {
        JsonElement v = node.inputs().get(input);
        // the validator has accepted the value: a number, or a numeric string
        double value = v == null || !v.isJsonPrimitive() ? defaultValue : Double.parseDouble(v.getAsString().trim());
        if (value > max) {
            throw new InvalidRequestException(node.id() + ".inputs." + input, v.getAsString() + " (expected: at most " + max
                    + " on this server, as for Generate) [" + node.classType() + "]");
        }
    }
}
