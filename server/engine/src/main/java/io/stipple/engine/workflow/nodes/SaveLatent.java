package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.WorkflowOutput;
import java.util.List;

/** An output: the latent, for a ComfyUI .latent file. */
final class SaveLatent extends OutputNode {
    @Override
    public String classType() {
        return "SaveLatent";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("samples", ValueType.LATENT), InputSpec.text("filename_prefix", "latents/ComfyUI"));
    }

    @Override
    protected WorkflowOutput output(NodeInputs in, NodeContext context) {
        return new WorkflowOutput.Latent(context.nodeId(), in.text("filename_prefix"), in.latent("samples").samples());
    }
}
