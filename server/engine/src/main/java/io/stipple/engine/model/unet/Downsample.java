package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/** openaimodel.Downsample: a 3×3 convolution with stride 2 ({@code op}). */
record Downsample(Weights w) implements UnetLayer {
    @Override
    public Tensor forward(Tensor x, Tensor emb, Tensor context) {
        return Layers.conv2d(w.at("op"), x, 2, 1);
    }
}
