package io.stipple.engine.workflow.nodes;

import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.FileKind;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.ModelValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.workflow.VaeValue;
import java.io.IOException;
import java.util.List;

/** A checkpoint file's three networks. */
final class CheckpointLoaderSimple implements NodeType {
    @Override
    public String classType() {
        return "CheckpointLoaderSimple";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.file("ckpt_name", FileKind.CHECKPOINT));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.MODEL, ValueType.CLIP, ValueType.VAE);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) throws IOException {
        StableDiffusionModel model = context.resources().checkpoint(in.text("ckpt_name"));
        return List.of(ModelValue.of(model), ClipValue.of(model), new VaeValue(model.vae(), context.ops()));
    }
}
