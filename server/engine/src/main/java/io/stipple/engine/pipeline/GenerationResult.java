package io.stipple.engine.pipeline;

import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * What a generation produced.
 *
 * @param latent (batch, 4, h, w) the sampler's output, unscaled (ComfyUI's LATENT)
 * @param images the decoded images, one per batch element
 * @param sigmas the schedule actually sampled
 */
public record GenerationResult(Tensor latent, List<RgbImage> images, float[] sigmas, Timings timings, List<String> warnings) {

    /** Milliseconds spent in each phase. */
    public record Timings(long encodeMillis, long sampleMillis, long decodeMillis) {}
}
