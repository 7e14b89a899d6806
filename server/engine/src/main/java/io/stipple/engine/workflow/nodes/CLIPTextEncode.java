package io.stipple.engine.workflow.nodes;

import io.stipple.engine.conditioning.EncodedPrompt;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.ConditioningValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/** A prompt (with ComfyUI's weighting and embedding syntax) through the CLIP text encoder(s). */
final class CLIPTextEncode implements NodeType {
    @Override
    public String classType() {
        return "CLIPTextEncode";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.prompt("text"), InputSpec.link("clip", ValueType.CLIP));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.CONDITIONING);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        ClipValue clip = in.clip("clip");
        EncodedPrompt encoded = clip.model().textEncoder().encode(in.text("text"), clip.clipSkip());
        encoded.warnings().forEach(context::warn);
        return List.of(ConditioningValue.of(encoded.context(), encoded.pooled(), null));
    }
}
