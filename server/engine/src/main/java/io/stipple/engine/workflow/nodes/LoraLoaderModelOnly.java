package io.stipple.engine.workflow.nodes;

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

/** A LoRA on the diffusion model only. */
final class LoraLoaderModelOnly implements NodeType {
    @Override
    public String classType() {
        return "LoraLoaderModelOnly";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("model", ValueType.MODEL), InputSpec.file("lora_name", FileKind.LORA),
                InputSpec.decimal("strength_model", 1.0, -100.0, 100.0));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.MODEL);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) throws IOException {
        ModelValue model = in.model("model");
        double strength = in.decimal("strength_model");
        if (strength == 0.0) {
            return List.of(model);
        }
        var lora = context.loadLora(model.checkpoint(), in.text("lora_name"), "lora_name");
        return List.of(Loras.onModel(model, new LoraUse(lora, strength), context.ops()));
    }
}
