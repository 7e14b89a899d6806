package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LatentValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.tensor.Shape;
import java.util.List;

/** Zeros of (batch, 4, height/8, width/8): where text-to-image starts. */
final class EmptyLatentImage implements NodeType {
    /** ComfyUI's MAX_RESOLUTION. */
    static final int MAX_RESOLUTION = 16384;

    @Override
    public String classType() {
        return "EmptyLatentImage";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.integer("width", 512, 16, MAX_RESOLUTION), InputSpec.integer("height", 512, 16, MAX_RESOLUTION),
                InputSpec.integer("batch_size", 1, 1, 4096));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        return List.of(new LatentValue(context.ops().zeros(
                Shape.of(in.smallInt("batch_size"), 4, in.smallInt("height") / 8, in.smallInt("width") / 8))));
    }
}
