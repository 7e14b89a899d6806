package io.stipple.engine.sampling;

import io.stipple.engine.model.unet.TimestepEmbedding;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/**
 * SDXL's micro-conditioning (ComfyUI's SDXL.encode_adm): the pooled text vector followed by
 * 256-wide sinusoidal embeddings of the original height and width, the crop top and left, and the
 * target height and width — heights before widths.
 */
public record SdxlSizeConditioning(int originalWidth, int originalHeight, int cropTop, int cropLeft, int targetWidth, int targetHeight) {
    private static final int EMBED_DIM = 256;

    /** ComfyUI's defaults for an image of this size: original and target size equal to it, no crop. */
    public static SdxlSizeConditioning forSize(int width, int height) {
        return new SdxlSizeConditioning(width, height, 0, 0, width, height);
    }

    /** (1, pooled + 1536) ADM vector {@code y}. */
    public Tensor adm(Tensor pooled) {
        Ops ops = pooled.ops();
        float[] values = {originalHeight, originalWidth, cropTop, cropLeft, targetHeight, targetWidth};
        Tensor sizes = TimestepEmbedding.embed(ops, values, EMBED_DIM).reshape(1, values.length * EMBED_DIM);
        return ops.concat(1, pooled, sizes);
    }
}
