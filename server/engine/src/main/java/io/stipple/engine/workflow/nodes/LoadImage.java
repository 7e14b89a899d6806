package io.stipple.engine.workflow.nodes;

import io.stipple.engine.image.ImageCodec;
import io.stipple.engine.image.InvalidImageException;
import io.stipple.engine.image.Pixels;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.workflow.FileKind;
import io.stipple.engine.workflow.ImageValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.MaskValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.tensor.Shape;
import java.io.IOException;
import java.util.List;

/**
 * An image file as IMAGE, and its MASK. Stipple's images carry no alpha, so the mask is ComfyUI's
 * for an image without one: 64×64 zeros.
 */
final class LoadImage implements NodeType {
    @Override
    public String classType() {
        return "LoadImage";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.file("image", FileKind.IMAGE));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.IMAGE, ValueType.MASK);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) throws IOException {
        String name = in.text("image");
        RgbImage image;
        try {
            image = ImageCodec.decode(context.resources().readImage(name));
        } catch (InvalidImageException e) {
            throw new InvalidRequestException("image", "'" + name + "': " + e.getMessage());
        }
        return List.of(new ImageValue(Pixels.toTensor(context.ops(), image)), new MaskValue(context.ops().zeros(Shape.of(1, 64, 64))));
    }
}
