package io.stipple.engine.workflow.nodes;

import io.stipple.engine.lora.LoadedLora;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.FileKind;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.LoraUse;
import io.stipple.engine.workflow.ModelValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.io.IOException;
import java.util.List;

/** A LoRA on the diffusion model and the text encoder, each at its own strength; both 0 leaves them as they are. */
final class LoraLoader implements NodeType {
    @Override
    public String classType() {
        return "LoraLoader";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("model", ValueType.MODEL), InputSpec.link("clip", ValueType.CLIP),
                InputSpec.file("lora_name", FileKind.LORA), InputSpec.decimal("strength_model", 1.0, -100.0, 100.0),
                InputSpec.decimal("strength_clip", 1.0, -100.0, 100.0));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.MODEL, ValueType.CLIP);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) throws IOException {
        ModelValue model = in.model("model");
        ClipValue clip = in.clip("clip");
        double sm = in.decimal("strength_model");
        double sc = in.decimal("strength_clip");
        if (sm == 0.0 && sc == 0.0) {
            return List.of(model, clip);
        }
        String name = in.text("lora_name");
        LoadedLora forModel = context.loadLora(model.checkpoint(), name, "lora_name");
        LoadedLora forClip = clip.checkpoint() == model.checkpoint() ? forModel : context.loadLora(clip.checkpoint(), name, "lora_name");
        return List.of(Loras.onModel(model, new LoraUse(forModel, sm), context.ops()),
                Loras.onClip(clip, new LoraUse(forClip, sc), context.ops()));
    }
}
