package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/** input_blocks.0: the 3×3 convolution from latent channels to model channels. */
record ConvIn(Weights w) implements UnetLayer {
    @Override
    public Tensor forward(Tensor x, Tensor emb, Tensor context) {
        return Layers.conv3x3(w, x);
    }
}
