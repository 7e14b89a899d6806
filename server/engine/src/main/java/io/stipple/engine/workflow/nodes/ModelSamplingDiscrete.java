package io.stipple.engine.workflow.nodes;

import io.stipple.engine.sampling.Prediction;
import io.stipple.engine.sampling.SamplingSettings;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.ModelValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import io.stipple.engine.pipeline.InvalidRequestException;
import java.util.List;

/**
 * ComfyUI's ModelSamplingDiscrete (comfy_extras/nodes_model_advanced.py): the model read as
 * predicting noise ("eps") or velocity ("v_prediction"), its schedule rescaled to zero terminal SNR
 * when zsnr; the weights are the same. LoRAs added after it keep it, as ComfyUI's model patches do.
 * "lcm", "x0" and "img_to_img" are refused by name.
 */
final class ModelSamplingDiscrete implements NodeType {
    private static final List<String> SAMPLING = List.of("eps", "v_prediction", "lcm", "x0", "img_to_img");

    @Override
    public String classType() {
        return "ModelSamplingDiscrete";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("model", ValueType.MODEL), InputSpec.options("sampling", "eps", SAMPLING), InputSpec.bool("zsnr", false));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.MODEL);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        ModelValue model = in.model("model");
        Prediction prediction = switch (in.text("sampling")) {
            case "eps" -> Prediction.EPS;
            case "v_prediction" -> Prediction.V_PREDICTION;
            default -> throw new InvalidRequestException("sampling", in.text("sampling") + " (expected: eps or v_prediction; Stipple does not"
                    + " sample lcm, x0 or img_to_img models yet)");
        };
        SamplingSettings sampling = new SamplingSettings(prediction, in.bool("zsnr"));
        return List.of(new ModelValue(model.checkpoint().withSampling(sampling), model.loras(), model.model().withSampling(sampling)));
    }
}
