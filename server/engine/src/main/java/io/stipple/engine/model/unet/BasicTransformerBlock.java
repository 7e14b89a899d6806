package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/**
 * attention.BasicTransformerBlock: self-attention (attn1), cross-attention to the text (attn2),
 * GEGLU feed-forward (ff), each after a LayerNorm and added back.
 */
final class BasicTransformerBlock {
    private static final float EPS = 1e-5f;

    private BasicTransformerBlock() {}

    static Tensor forward(Weights w, Tensor x, Tensor context, int heads) {
        x = CrossAttention.forward(w.at("attn1"), Layers.layerNorm(w.at("norm1"), x, EPS), null, heads).add(x);
        x = CrossAttention.forward(w.at("attn2"), Layers.layerNorm(w.at("norm2"), x, EPS), context, heads).add(x);
        Tensor ff = Layers.layerNorm(w.at("norm3"), x, EPS);
        ff = Layers.linear(w.at("ff.net.0.proj"), ff);
        ff = ff.ops().geglu(ff);
        ff = Layers.linear(w.at("ff.net.2"), ff);
        return ff.add(x);
    }
}
