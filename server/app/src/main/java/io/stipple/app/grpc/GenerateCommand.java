package io.stipple.app.grpc;

import io.stipple.engine.sampling.SamplingSettings;
import io.stipple.app.jobs.Scheduling;
import io.stipple.app.plugins.Named;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.ImageCodec;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated GenerateRequest with names resolved and defaults that do not depend on the model
 * filled in. Width and height may still be open (the model family's native size, or the init
 * image's); a size the checkpoint's metadata recommends is already filled in.
 */
record GenerateCommand(
        ModelChoice model,
        String prompt,
        String negativePrompt,
        Integer width,
        Integer height,
        int batchSize,
        long seed,
        int steps,
        float cfg,
        Named<Sampler> sampler,
        Named<Scheduler> scheduler,
        double denoise,
        int clipSkip,
        InitInput init,
        SdxlSize sdxl,
        Previews previews,
        boolean embedParameters,
        boolean includeLatent,
        Scheduling scheduling) {

    /** The checkpoint and what is done to it before sampling. */
    /** @param sampling ModelSamplingDiscrete's settings, or null: as the checkpoint says */
    record ModelChoice(String checkpointName, Path checkpoint, MergePlan merge, List<LoraChoice> loras, String vaeName, Path vae,
            SamplingSettings sampling) {}

    record LoraChoice(String name, Path path, float strengthModel, float strengthClip) {}

    /** An on-the-fly merge (ComfyUI's ModelMergeSimple and friends). */
    record MergePlan(boolean addDifference, String modelBName, Path modelB, String modelCName, Path modelC,
            ComponentPlan unet, ComponentPlan textEncoder, ComponentPlan vae) {}

    /** How one component is merged: blended with a ratio, or copied from model A or B. */
    record ComponentPlan(Float ratio, char source) {}

    sealed interface InitInput permits ImageInput, LatentInput {}

    /**
     * An init image as sent, checked from its header only: it is decoded by the worker when the job
     * runs, so waiting jobs hold the compressed bytes, not the pixels.
     */
    record ImageInput(byte[] bytes, ImageCodec.ImageHeader header, Resize.Mode mode) implements InitInput {}

    /** A .latent file's tensor, unscaled: (batch, 4, h, w). */
    record LatentInput(float[] values, int[] shape) implements InitInput {}

    record SdxlSize(Integer originalWidth, Integer originalHeight, int cropTop, int cropLeft, Integer targetWidth, Integer targetHeight) {}

    record Previews(int everyNSteps, boolean png, int maxSize) {}
}
