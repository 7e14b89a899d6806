package io.stipple.engine.sampling;

import io.stipple.tensor.Tensor;

/**
 * What a prompt gives the UNet: the cross-attention context and, for SDXL, the ADM vector.
 *
 * @param context (1, tokens, context_dim)
 * @param y (1, adm_in_channels), or null for models without ADM
 */
public record Conditioning(Tensor context, Tensor y) {}
