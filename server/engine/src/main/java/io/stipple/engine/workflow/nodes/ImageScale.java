package io.stipple.engine.workflow.nodes;

import io.stipple.engine.workflow.ImageValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * ComfyUI's ImageScale: the image resized by common_upscale (an optional centre crop to the target's
 * aspect, then torch's interpolation); 0 for one side keeps the aspect (at least 1 pixel), 0 for both
 * leaves the image as it is. The methods are LatentUpscale's; bicubic and lanczos are not yet among them.
 * The interpolations are linear, so resizing the engine's [-1, 1] pixels is resizing ComfyUI's [0, 1] ones.
 */
final class ImageScale implements NodeType {
    @Override
    public String classType() {
        return "ImageScale";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("image", ValueType.IMAGE), InputSpec.options("upscale_method", "nearest-exact", LatentResize.METHODS),
                InputSpec.integer("width", 512, 0, EmptyLatentImage.MAX_RESOLUTION),
                InputSpec.integer("height", 512, 0, EmptyLatentImage.MAX_RESOLUTION), InputSpec.options("crop", "disabled", LatentResize.CROPS));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.IMAGE);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        Tensor pixels = in.image("image").pixels(); // (batch, 3, h, w)
        int width = in.smallInt("width");
        int height = in.smallInt("height");
        if (width == 0 && height == 0) {
            return List.of(in.image("image"));
        }
        if (width == 0) {
            width = Math.max(1, (int) Math.rint(pixels.dim(3) * (double) height / pixels.dim(2)));
        } else if (height == 0) {
            height = Math.max(1, (int) Math.rint(pixels.dim(2) * (double) width / pixels.dim(3)));
        }
        return List.of(new ImageValue(LatentResize.resize(context.ops(), pixels, width, height, in.text("upscale_method"), in.text("crop"))));
    }
}
