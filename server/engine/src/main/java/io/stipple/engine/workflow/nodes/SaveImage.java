package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.WorkflowOutput;
import java.util.List;

/** An output: the images as 8-bit PNG pixels, under a file name prefix the caller turns into files. */
final class SaveImage extends OutputNode {
    @Override
    public String classType() {
        return "SaveImage";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("images", ValueType.IMAGE), InputSpec.text("filename_prefix", "ComfyUI"));
    }

    @Override
    protected WorkflowOutput output(NodeInputs in, NodeContext context) {
        return new WorkflowOutput.Images(context.nodeId(), in.text("filename_prefix"), false, in.image("images").images());
    }
}
