package io.stipple.app.grpc;

import io.stipple.app.grpc.GenerateCommand.ComponentPlan;
import io.stipple.app.grpc.GenerateCommand.MergePlan;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelRepository;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;
import io.stipple.proto.v1.ComponentMerge;
import io.stipple.proto.v1.ComponentSource;
import io.stipple.proto.v1.MergeMode;
import io.stipple.proto.v1.MergeRecipe;

/** Checks a MergeRecipe and resolves its models, for Generate (on the fly) and Merge (to a file). */
final class MergeRecipeValidator {
    static final float MIN_RATIO = -1f;
    static final float MAX_RATIO = 2f;

    private final ModelRepository models;

    MergeRecipeValidator(ModelRepository models) {
        this.models = models;
    }

    /** Generate's defaults: the UNet blended, text encoder and VAE from model A (ComfyUI's ModelMergeSimple). */
    MergePlan forGenerate(MergeRecipe r, String field) {
        return plan(r, field, new ComponentPlan(null, 'A'));
    }

    /** Merge's defaults: every component blended with the recipe's ratio. */
    MergePlan forMerge(MergeRecipe r, String field) {
        return plan(r, field, null);
    }

    private MergePlan plan(MergeRecipe r, String field, ComponentPlan otherDefault) {
        boolean addDifference = r.getMode() == MergeMode.MERGE_MODE_ADD_DIFFERENCE;
        if (r.getMode() == MergeMode.UNRECOGNIZED) {
            throw new InvalidRequestException(field + ".mode", r.getModeValue() + " (expected: WEIGHTED_SUM or ADD_DIFFERENCE)");
        }
        var b = models.resolve(ModelKind.CHECKPOINT, r.getModelB(), field + ".model_b");
        var c = addDifference ? models.resolve(ModelKind.CHECKPOINT, r.getModelC(), field + ".model_c") : null;
        if (!addDifference && !r.getModelC().isEmpty()) {
            throw new InvalidRequestException(field + ".model_c", QuotedValue.of(r.getModelC()) + " (expected: empty unless mode is ADD_DIFFERENCE)");
        }
        float ratio = r.hasRatio() ? ratio(field + ".ratio", r.getRatio()) : addDifference ? 1f : 0.5f;
        ComponentPlan whole = new ComponentPlan(ratio, ' ');
        ComponentPlan unet = component(r.hasUnet() ? r.getUnet() : null, field + ".unet", whole);
        ComponentPlan text = component(r.hasTextEncoder() ? r.getTextEncoder() : null, field + ".text_encoder",
                otherDefault != null ? otherDefault : whole);
        ComponentPlan vae = component(r.hasVae() ? r.getVae() : null, field + ".vae", otherDefault != null ? otherDefault : whole);
        return new MergePlan(addDifference, r.getModelB(), b, r.getModelC(), c, unet, text, vae);
    }

    private static ComponentPlan component(ComponentMerge m, String field, ComponentPlan fallback) {
        if (m == null) {
            return fallback;
        }
        return switch (m.getHowCase()) {
            case RATIO -> new ComponentPlan(ratio(field + ".ratio", m.getRatio()), ' ');
            case SOURCE -> {
                if (m.getSource() == ComponentSource.COMPONENT_SOURCE_A) {
                    yield new ComponentPlan(null, 'A');
                }
                if (m.getSource() == ComponentSource.COMPONENT_SOURCE_B) {
                    yield new ComponentPlan(null, 'B');
                }
                throw new InvalidRequestException(field + ".source", m.getSource() + " (expected: COMPONENT_SOURCE_A or COMPONENT_SOURCE_B)");
            }
            case HOW_NOT_SET -> fallback;
        };
    }

    static float ratio(String field, float v) {
        if (!Float.isFinite(v) || v < MIN_RATIO || v > MAX_RATIO) {
            throw new InvalidRequestException(field, v + " (expected: -1 to 2)");
        }
        return v;
    }
}
