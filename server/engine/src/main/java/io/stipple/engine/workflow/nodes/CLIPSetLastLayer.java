package io.stipple.engine.workflow.nodes;

import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/** Which CLIP layer's output the prompt encoders take: -1 the last, -2 the penultimate ("clip skip 2")... */
final class CLIPSetLastLayer implements NodeType {
    @Override
    public String classType() {
        return "CLIPSetLastLayer";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("clip", ValueType.CLIP), InputSpec.integer("stop_at_clip_layer", -1, -24, -1));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.CLIP);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        ClipValue clip = in.clip("clip");
        int layer = in.smallInt("stop_at_clip_layer");
        int layers = clip.model().textEncoder().layers();
        if (-layer > layers) {
            throw new InvalidRequestException("stop_at_clip_layer", layer + " (expected: -1 to -" + layers
                    + ": the text model has " + layers + " layers)");
        }
        return List.of(clip.withClipSkip(layer));
    }
}
