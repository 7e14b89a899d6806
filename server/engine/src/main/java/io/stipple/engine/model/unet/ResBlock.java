package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/**
 * openaimodel.ResBlock: in_layers (GroupNorm, SiLU, conv), plus the projected timestep embedding,
 * out_layers (GroupNorm, SiLU, dropout, conv), and the skip connection (a 1×1 conv when the
 * channel count changes).
 */
record ResBlock(Weights w) implements UnetLayer {
    private static final int GROUPS = 32;
    private static final float EPS = 1e-5f;

    @Override
    public Tensor forward(Tensor x, Tensor emb, Tensor context) {
        Tensor h = Layers.groupNorm(w.at("in_layers.0"), x, GROUPS, EPS);
        h = Layers.conv3x3(w.at("in_layers.2"), Layers.silu(h)); // (batch, out, h, w)
        Tensor embOut = Layers.linear(w.at("emb_layers.1"), Layers.silu(emb)); // (batch, out)
        h = h.add(embOut.reshape(embOut.dim(0), embOut.dim(1), 1, 1));
        h = Layers.groupNorm(w.at("out_layers.0"), h, GROUPS, EPS);
        h = Layers.conv3x3(w.at("out_layers.3"), Layers.silu(h));
        Tensor skip = w.has("skip_connection.weight") ? Layers.conv1x1(w.at("skip_connection"), x) : x;
        return skip.add(h);
    }
}
