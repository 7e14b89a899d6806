package io.stipple.engine.workflow.nodes;

import io.stipple.engine.merge.ComponentRule;
import io.stipple.engine.merge.IncompatibleModelsException;
import io.stipple.engine.merge.MergeMode;
import io.stipple.engine.merge.MergeModel;
import io.stipple.engine.merge.MergeRecipe;
import io.stipple.engine.merge.MergedParameters;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.workflow.ClipValue;
import io.stipple.engine.workflow.InputSpec;
import io.stipple.engine.workflow.NodeContext;
import io.stipple.engine.workflow.NodeInputs;
import io.stipple.engine.workflow.NodeType;
import io.stipple.engine.workflow.Value;
import io.stipple.engine.workflow.ValueType;
import java.util.List;

/**
 * Two text encoders blended: {@code W = ratio·W1 + (1−ratio)·W2} (ComfyUI's add_patches(clip2,
 * 1 − ratio, ratio)); clip1's CLIPSetLastLayer setting is kept.
 */
final class CLIPMergeSimple implements NodeType {
    @Override
    public String classType() {
        return "CLIPMergeSimple";
    }

    @Override
    public List<InputSpec> inputs() {
        return List.of(InputSpec.link("clip1", ValueType.CLIP), InputSpec.link("clip2", ValueType.CLIP),
                InputSpec.decimal("ratio", 1.0, 0.0, 1.0));
    }

    @Override
    public List<ValueType> outputs() {
        return List.of(ValueType.CLIP);
    }

    @Override
    public List<Value> run(NodeInputs in, NodeContext context) {
        ClipValue clip1 = in.clip("clip1");
        StableDiffusionModel a = clip1.model();
        StableDiffusionModel b = in.clip("clip2").model();
        MergeRecipe recipe = new MergeRecipe(MergeMode.WEIGHTED_SUM, ComponentRule.copyA(), ComponentRule.blend(in.decimal("ratio")),
                ComponentRule.copyA());
        MergedParameters merged;
        try {
            merged = MergedParameters.create(recipe, new MergeModel(a.name(), a.weights()), new MergeModel(b.name(), b.weights()),
                    context.ops());
        } catch (IncompatibleModelsException e) {
            throw new InvalidRequestException("clip2", e.getMessage());
        }
        merged.plan().warnings().forEach(context::warn);
        return List.of(ClipValue.of(ModelLoader.load(a.name() + "+" + b.name(), merged, context.ops())
                .withEmbeddings(a.textEncoder().embeddings())).withClipSkip(clip1.clipSkip()));
    }
}
