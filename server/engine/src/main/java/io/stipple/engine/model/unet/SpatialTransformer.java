package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.LayerChain;
import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;

/**
 * attention.SpatialTransformer: GroupNorm, proj_in (1×1 conv for SD1.x, linear for SDXL), the
 * image as a token sequence through {@code depth} BasicTransformerBlocks, proj_out, residual.
 */
record SpatialTransformer(Weights w, int depth, boolean linearProjection, int heads) implements UnetLayer {
    private static final float NORM_EPS = 1e-6f;

    @Override
    public Tensor forward(Tensor x, Tensor emb, Tensor context) {
        int b = x.dim(0);
        int c = x.dim(1);
        int hh = x.dim(2);
        int ww = x.dim(3);
        Tensor h = Layers.groupNorm(w.at("norm"), x, 32, NORM_EPS);
        if (!linearProjection) {
            h = Layers.conv1x1(w.at("proj_in"), h);
        }
        int inner = h.dim(1);
        Tensor tokens = h.ops().permute(h, 0, 2, 3, 1).reshape(b, hh * ww, inner); // (b, h·w, inner)
        if (linearProjection) {
            tokens = Layers.linear(w.at("proj_in"), tokens);
        }
        try (TensorScope scope = tokens.ops().scope()) {
            // SDXL's deepest transformers have ten blocks: hold one block's temporaries at a time
            LayerChain blocks = new LayerChain(scope, tokens);
            for (int i = 0; i < depth; i++) {
                Weights block = w.at("transformer_blocks").at(i);
                blocks.then(t -> BasicTransformerBlock.forward(block, t, context, heads));
            }
            tokens = scope.keep(blocks.result());
        }
        if (linearProjection) {
            tokens = Layers.linear(w.at("proj_out"), tokens);
        }
        int outC = tokens.dim(2);
        h = tokens.ops().permute(tokens.reshape(b, hh, ww, outC), 0, 3, 1, 2); // (b, c, h, w)
        if (!linearProjection) {
            h = Layers.conv1x1(w.at("proj_out"), h);
        }
        if (h.dim(1) != c) {
            throw new IllegalStateException("proj_out gives " + h.dim(1) + " channels, expected " + c);
        }
        return h.add(x);
    }
}
