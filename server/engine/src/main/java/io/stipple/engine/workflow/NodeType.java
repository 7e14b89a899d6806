package io.stipple.engine.workflow;

import java.util.List;

/** One ComfyUI node class: its inputs and outputs as ComfyUI declares them, and what it does. */
public interface NodeType {
    String classType();

    List<InputSpec> inputs();

    List<ValueType> outputs();

    /** Output nodes are what a graph runs for; nodes no output depends on are not run. */
    default boolean isOutput() {
        return false;
    }

    /**
     * @return one value per declared output, in order
     * @throws io.stipple.engine.pipeline.InvalidRequestException naming the input (its field) when
     *     an input's value cannot be used
     */
    List<Value> run(NodeInputs in, NodeContext context) throws java.io.IOException;
}
