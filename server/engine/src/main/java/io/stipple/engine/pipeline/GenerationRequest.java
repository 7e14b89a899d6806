package io.stipple.engine.pipeline;

import io.stipple.engine.image.RgbImage;
import io.stipple.engine.image.Resize;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.tensor.Tensor;

/**
 * One generation, every default already resolved: what ComfyUI's text-to-image or image-to-image
 * graph takes (CLIPTextEncode ×2, EmptyLatentImage or VAEEncode/LoadLatent, KSampler).
 *
 * @param clipSkip ComfyUI's form (-1 last layer, -2 penultimate) or 0 for the model's default
 * @param init where sampling starts: null for an empty latent
 * @param sdxlSize SDXL's size conditioning, or null for ComfyUI's defaults (the image size, no crop)
 * @param previewEveryNSteps 0 for no previews
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        int width,
        int height,
        int batchSize,
        long seed,
        int steps,
        float cfg,
        String sampler,
        String scheduler,
        double denoise,
        int clipSkip,
        Init init,
        SdxlSizeConditioning sdxlSize,
        int previewEveryNSteps,
        int previewMaxSize) {

    /** Where image-to-image starts. */
    public sealed interface Init permits FromImage, FromLatent {}

    /** An image, fitted to the requested size with {@code mode} and encoded by the VAE. */
    public record FromImage(RgbImage image, Resize.Mode mode) implements Init {}

    /** A VAE latent (unscaled, as ComfyUI's LATENT holds it), (batch, 4, h, w). */
    public record FromLatent(Tensor latent) implements Init {}
}
