package io.stipple.engine.model.unet;

import io.stipple.tensor.Tensor;

/** One layer of a {@code TimestepEmbedSequential} block: each takes what it needs of (x, emb, context). */
sealed interface UnetLayer permits ResBlock, SpatialTransformer, Downsample, Upsample, ConvIn {
    Tensor forward(Tensor x, Tensor emb, Tensor context);
}
