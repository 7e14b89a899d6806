package io.stipple.app.grpc;

import io.stipple.app.grpc.GenerateCommand.MergePlan;
import io.stipple.app.grpc.GenerateCommand.ModelChoice;
import io.stipple.app.models.ModelCache;
import io.stipple.engine.merge.MergeModel;
import io.stipple.engine.merge.MergeRecipe;
import io.stipple.engine.merge.MergedParameters;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model a Generate request asks for: the cached checkpoint (merged on the fly and given another
 * VAE when asked), then the request's LoRAs as an overlay.
 */
final class ModelAssembler {
    /** A model ready to sample with, and what the user should know about how it was made. */
    record Assembled(StableDiffusionModel model, List<String> warnings) {}

    private final ModelCache cache;

    ModelAssembler(ModelCache cache) {
        this.cache = cache;
    }

    Assembled assemble(ModelChoice choice) throws IOException {
        if (!choice.loras().isEmpty()) {
            throw new InvalidRequestException("model.loras", "LoRAs are not available in this build yet");
        }
        MergePlan merge = choice.merge();
        MergeRecipe recipe = merge == null ? null : Recipes.of(merge);
        ModelCache.Entry entry = cache.acquire(new ModelCache.Key(choice.checkpoint(), merge, choice.vae()),
                (weights, files, warnings) -> merge == null ? weights : merged(weights, merge, recipe, choice, files, warnings));
        return new Assembled(entry.model(), new ArrayList<>(entry.warnings()));
    }

    private ParameterSource merged(ParameterSource a, MergePlan merge, MergeRecipe recipe, ModelChoice choice,
            List<TensorIndex> files, List<String> warnings) {
        try {
            MergeModel ma = new MergeModel(choice.checkpoint().getFileName().toString(), a);
            MergeModel mb = new MergeModel(merge.modelB().getFileName().toString(), cache.openWeights(merge.modelB(), files));
            MergedParameters p = merge.modelC() == null
                    ? MergedParameters.create(recipe, ma, mb, cache.ops())
                    : MergedParameters.create(recipe, ma, mb,
                            new MergeModel(merge.modelC().getFileName().toString(), cache.openWeights(merge.modelC(), files)), cache.ops());
            warnings.addAll(p.plan().warnings());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
