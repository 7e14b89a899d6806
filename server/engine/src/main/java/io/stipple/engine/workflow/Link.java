package io.stipple.engine.workflow;

/** An input fed by another node's output: ComfyUI's {@code ["node_id", output_index]}. */
public record Link(String nodeId, int output) {
    @Override
    public String toString() {
        return "[\"" + nodeId + "\", " + output + "]";
    }
}
