package io.stipple.app.grpc;

import io.stipple.app.grpc.GenerateCommand.LoraChoice;
import io.stipple.app.grpc.GenerateCommand.MergePlan;
import io.stipple.app.grpc.GenerateCommand.ModelChoice;
import io.stipple.app.models.FileStamp;
import io.stipple.app.models.ModelCache;
import io.stipple.engine.lora.AppliedLora;
import io.stipple.engine.lora.LoadedLora;
import io.stipple.engine.lora.LoraLoader;
import io.stipple.engine.lora.LoraMismatchException;
import io.stipple.engine.lora.PatchedParameters;
import io.stipple.engine.merge.MergeModel;
import io.stipple.engine.merge.MergeRecipe;
import io.stipple.engine.merge.MergedParameters;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model a Generate request asks for: the cached checkpoint (merged on the fly and given another
 * VAE when asked), then the request's LoRAs as an overlay over its weights. The last LoRA overlay is
 * kept, so the same LoRAs at the same strengths cost nothing the second time; other LoRAs replace
 * it without reloading the checkpoint.
 */
final class ModelAssembler {
    /** A model ready to sample with, and what the user should know about how it was made. */
    record Assembled(StableDiffusionModel model, List<String> warnings) {}

    /** The LoRA files' stamps make an overlay stale when a LoRA file is replaced on disk. */
    private record LoraKey(ModelCache.Key base, List<LoraChoice> loras, List<FileStamp> stamps) {}

    private record Overlay(LoraKey key, ModelCache.Entry base, List<LoadedLora> loaded, Assembled assembled) {}

    private final ModelCache cache;
    private final List<LoraAdapter> adapters;
    private Overlay last;

    ModelAssembler(ModelCache cache, List<LoraAdapter> adapters) {
        this.cache = cache;
        this.adapters = adapters;
    }

    synchronized Assembled assemble(ModelChoice choice) throws IOException {
        Assembled assembled = assembleWeights(choice);
        return choice.sampling() == null ? assembled : new Assembled(assembled.model().withSampling(choice.sampling()), assembled.warnings());
    }

    /** The checkpoint, merged and with its LoRAs, as cached. */
    private Assembled assembleWeights(ModelChoice choice) throws IOException {
        MergePlan merge = choice.merge();
        MergeRecipe recipe = merge == null ? null : Recipes.of(merge);
        ModelCache.Key key = new ModelCache.Key(choice.checkpoint(), merge, choice.vae());
        ModelCache.Entry entry = cache.acquire(key,
                (weights, files, warnings) -> merge == null ? weights : merged(weights, merge, recipe, choice, files, warnings));
        if (choice.loras().isEmpty()) {
            return new Assembled(entry.model(), new ArrayList<>(entry.warnings()));
        }
        List<FileStamp> stamps = new ArrayList<>();
        for (LoraChoice l : choice.loras()) {
            stamps.add(FileStamp.of(l.path()));
        }
        LoraKey loraKey = new LoraKey(key, choice.loras(), stamps);
        if (last != null && last.key().equals(loraKey) && last.base() == entry) {
            return last.assembled();
        }
        dropLast();
        List<LoadedLora> loaded = new ArrayList<>();
        try {
            List<String> warnings = new ArrayList<>(entry.warnings());
            LoraLoader loader = new LoraLoader(adapters, cache.ops(), entry.model().architecture(), entry.weights());
            List<AppliedLora> applied = new ArrayList<>();
            for (int i = 0; i < choice.loras().size(); i++) {
                LoraChoice l = choice.loras().get(i);
                TensorIndex file = cache.opener().open(l.path());
                LoadedLora lora;
                try {
                    lora = loader.load(l.name(), file);
                } catch (LoraMismatchException e) {
                    file.close();
                    throw new InvalidRequestException("model.loras[" + i + "].name", e.getMessage());
                } catch (RuntimeException e) {
                    file.close();
                    throw e;
                }
                loaded.add(lora);
                lora.warning().ifPresent(w -> warnings.add(l.name() + ": " + w));
                applied.add(new AppliedLora(lora, RequestDecimal.of(l.strengthModel()), RequestDecimal.of(l.strengthClip())));
            }
            ParameterSource patched = new PatchedParameters(entry.weights(), applied);
            StableDiffusionModel model = ModelLoader.load(entry.model().name(), patched, cache.ops())
                    .withEmbeddings(entry.model().textEncoder().embeddings());
            Assembled assembled = new Assembled(model, List.copyOf(warnings));
            last = new Overlay(loraKey, entry, loaded, assembled);
            return assembled;
        } catch (IOException | RuntimeException e) {
            loaded.forEach(LoadedLora::close);
            throw e;
        }
    }

    /** Drops the kept LoRA overlay (its model is being unloaded, or all are). */
    synchronized void dropOverlay() {
        dropLast();
    }

    private void dropLast() {
        if (last != null) {
            last.loaded().forEach(LoadedLora::close);
            last = null;
        }
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
