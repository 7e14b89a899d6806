package io.stipple.engine.workflow.nodes;

import io.stipple.engine.conditioning.EncodedPrompt;
import io.stipple.engine.conditioning.SdxlTextEncoder;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.ConditioningValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/**
 * ComfyUI's CLIPTextEncodeSDXL: text_g for bigG and text_l for CLIP-L, and the size conditioning the
 * UNet's ADM vector is made from (original size, crop, target size) in place of the latent's size.
 */
final class CLIPTextEncodeSDXL implements NodeType {
    private static final int MAX_RESOLUTION = 16384;

    @Override
    public String classType() {
        return "CLIPTextEncodeSDXL";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("clip", ValueType.CLIP), InputSpec.integer("width", 1024, 0, MAX_RESOLUTION),
                InputSpec.integer("height", 1024, 0, MAX_RESOLUTION), InputSpec.integer("crop_w", 0, 0, MAX_RESOLUTION),
                InputSpec.integer("crop_h", 0, 0, MAX_RESOLUTION), InputSpec.integer("target_width", 1024, 0, MAX_RESOLUTION),
                InputSpec.integer("target_height", 1024, 0, MAX_RESOLUTION), InputSpec.prompt("text_g"), InputSpec.prompt("text_l"));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.CONDITIONING);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        ClipValue clip = in.clip("clip");
        if (!(clip.model().textEncoder() instanceof SdxlTextEncoder sdxl)) {
            throw new InvalidRequestException("clip", "the CLIP of a " + clip.model().family().id() + " model (expected: an SDXL model's,"
                    + " with both text encoders)");
        }
        EncodedPrompt encoded = sdxl.encode(in.text("text_g"), in.text("text_l"), clip.clipSkip());
        encoded.warnings().forEach(context::warn);
        var size = new SdxlSizeConditioning(in.smallInt("width"), in.smallInt("height"), in.smallInt("crop_h"), in.smallInt("crop_w"),
                in.smallInt("target_width"), in.smallInt("target_height"));
        return List.of(ConditioningValue.of(encoded.context(), encoded.pooled(), size));
    }
}
