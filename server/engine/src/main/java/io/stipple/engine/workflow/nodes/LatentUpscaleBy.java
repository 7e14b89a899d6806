package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LatentValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.tensor.Tensor;
import java.util.List;

/** A latent resized by a factor: each side round(side · scale_by), Python's rounding (halves to even). */
final class LatentUpscaleBy implements NodeType {
    @Override
    public String classType() {
        return "LatentUpscaleBy";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("samples", ValueType.LATENT), InputSpec.options("upscale_method", "nearest-exact", LatentResize.METHODS),
                InputSpec.decimal("scale_by", 1.5, 0.01, 8.0));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        Tensor s = in.latent("samples").samples();
        double by = in.decimal("scale_by");
        int width = (int) Math.rint(s.dim(3) * by);
        int height = (int) Math.rint(s.dim(2) * by);
        return List.of(new LatentValue(LatentResize.resize(context.ops(), s, width, height, in.text("upscale_method"), "disabled")));
    }
}
