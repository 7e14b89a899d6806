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

/** A latent resized to a pixel size (/8); 0 for one side keeps the aspect, 0 for both leaves it as it is. */
final class LatentUpscale implements NodeType {
    @Override
    public String classType() {
        return "LatentUpscale";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("samples", ValueType.LATENT), InputSpec.options("upscale_method", "nearest-exact", LatentResize.METHODS),
                InputSpec.integer("width", 512, 0, EmptyLatentImage.MAX_RESOLUTION),
                InputSpec.integer("height", 512, 0, EmptyLatentImage.MAX_RESOLUTION), InputSpec.options("crop", "disabled", LatentResize.CROPS));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.LATENT);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        Tensor s = in.latent("samples").samples();
        int width = in.smallInt("width");
        int height = in.smallInt("height");
        if (width == 0 && height == 0) {
            return List.of(in.latent("samples"));
        }
        // ComfyUI's arithmetic: the missing side from the latent's aspect, each side at least 64 pixels
        if (width == 0) {
            height = Math.max(64, height);
            width = Math.max(64, (int) Math.rint(s.dim(3) * (double) height / s.dim(2)));
        } else if (height == 0) {
            width = Math.max(64, width);
            height = Math.max(64, (int) Math.rint(s.dim(2) * (double) width / s.dim(3)));
        } else {
            width = Math.max(64, width);
            height = Math.max(64, height);
        }
        return List.of(new LatentValue(LatentResize.resize(context.ops(), s, width / 8, height / 8, in.text("upscale_method"), in.text("crop"))));
    }
}
