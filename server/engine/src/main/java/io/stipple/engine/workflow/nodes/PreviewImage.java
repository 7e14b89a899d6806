package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.WorkflowOutput;
import java.util.List;

/** An output shown and not kept: ComfyUI writes it to its temp folder. */
final class PreviewImage extends OutputNode {
    @Override
    public String classType() {
        return "PreviewImage";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("images", ValueType.IMAGE));
    }

    @Override
    protected WorkflowOutput output(NodeInputs in, NodeContext context) {
        return new WorkflowOutput.Images(context.nodeId(), "ComfyUI_temp", true, in.image("images").images());
    }
}
