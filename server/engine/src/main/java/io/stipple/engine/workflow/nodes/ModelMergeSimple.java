package io.stipple.engine.workflow.nodes;

import io.stipple.engine.merge.IncompatibleModelsException;
import io.stipple.engine.merge.MergeModel;
import io.stipple.engine.merge.MergeRecipe;
import io.stipple.engine.merge.MergedParameters;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.ModelValue;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/**
 * Two diffusion models blended, UNet only: {@code W = ratio·W1 + (1−ratio)·W2} (ComfyUI's
 * add_patches(model2, 1 − ratio, ratio), so ratio 1 is model1). Each side keeps the LoRAs it had.
 */
final class ModelMergeSimple implements NodeType {
    @Override
    public String classType() {
        return "ModelMergeSimple";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("model1", ValueType.MODEL), InputSpec.link("model2", ValueType.MODEL),
                InputSpec.decimal("ratio", 1.0, 0.0, 1.0));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.MODEL);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        StableDiffusionModel a = in.model("model1").model();
        StableDiffusionModel b = in.model("model2").model();
        MergedParameters merged;
        try {
            merged = MergedParameters.create(MergeRecipe.unetWeightedSum(in.decimal("ratio")), new MergeModel(a.name(), a.weights()),
                    new MergeModel(b.name(), b.weights()), context.ops());
        } catch (IncompatibleModelsException e) {
            throw new InvalidRequestException("model2", e.getMessage());
        }
        merged.plan().warnings().forEach(context::warn);
        // the blend is a checkpoint of its own: LoRAs after this node are read against its weights
        return List.of(ModelValue.of(ModelLoader.load(a.name() + "+" + b.name(), merged, context.ops())
                .withEmbeddings(a.textEncoder().embeddings())));
    }
}
