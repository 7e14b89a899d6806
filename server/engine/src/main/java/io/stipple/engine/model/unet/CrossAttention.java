package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/** attention.CrossAttention: q from x, k and v from the context (x itself for self-attention), to_out. */
final class CrossAttention {
    private CrossAttention() {}

    /** {@code context} null means self-attention. */
    static Tensor forward(Weights w, Tensor x, Tensor context, int heads) {
        Tensor kv = context == null ? x : context;
        Tensor q = Layers.linear(w.at("to_q"), x);
        Tensor k = Layers.linear(w.at("to_k"), kv);
        Tensor v = Layers.linear(w.at("to_v"), kv);
        Tensor out = x.ops().attention(q, k, v, heads, false);
        return Layers.linear(w.at("to_out.0"), out);
    }
}
