/**
 * Checkpoint merging as ComfyUI and AUTOMATIC1111 users know it, in two forms: on the fly
 * ({@link io.stipple.engine.merge.MergedParameters}, a {@code ParameterSource} whose merged weights
 * are computed when first read, for generating without writing a file) and saved
 * ({@link io.stipple.engine.merge.CheckpointMerger}, a new checkpoint written tensor by tensor,
 * atomically).
 *
 * <p>A {@link io.stipple.engine.merge.MergeRecipe} says the mode (weighted sum, where the ratio is
 * model A's weight as in ComfyUI's ModelMergeSimple, or add difference) and, per
 * {@link io.stipple.engine.merge.ModelComponent} (UNet, text encoder, VAE, found by key prefix),
 * a blend amount or the model to copy from. Both forms first make a
 * {@link io.stipple.engine.merge.MergePlan} from names and shapes alone, which refuses what cannot
 * be merged before any weight is read; the arithmetic is float32 in ComfyUI's order, so merged
 * weights are bit-identical to ComfyUI's.
 */
package io.stipple.engine.merge;
