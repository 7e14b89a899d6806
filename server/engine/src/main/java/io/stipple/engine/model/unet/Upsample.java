package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/** openaimodel.Upsample: nearest-neighbour ×2, then a 3×3 convolution ({@code conv}). */
record Upsample(Weights w) implements UnetLayer {
    @Override
    public Tensor forward(Tensor x, Tensor emb, Tensor context) {
        return Layers.conv3x3(w.at("conv"), x.ops().upsampleNearest2x(x));
    }
}
