package io.stipple.engine.conditioning;

import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * A prompt as the UNet sees it.
 *
 * @param context (1, 77·chunks, context_dim)
 * @param pooled (1, projection) for SDXL, or null
 * @param warnings things dropped from the prompt (e.g. embeddings that are not installed)
 */
public record EncodedPrompt(Tensor context, Tensor pooled, List<String> warnings) {}
