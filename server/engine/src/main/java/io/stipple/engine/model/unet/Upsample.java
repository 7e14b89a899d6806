package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/**
 * openaimodel.Upsample: nearest-neighbour ×2, then a 3×3 convolution ({@code conv}). Inside the UNet
 * it resizes to the next skip connection's size instead (ComfyUI's output_shape), which is not twice
 * the input when the latent's side is not a multiple of 8: a 72-pixel side is 9 latent pixels, 5
 * after the downsampling, and 10 after a plain doubling.
 */
record Upsample(Weights w) implements UnetLayer {
    @Override
    public Tensor forward(Tensor x, Tensor emb, Tensor context) {
        return Layers.conv3x3(w.at("conv"), x.ops().upsampleNearest2x(x));
    }

    Tensor forward(Tensor x, int height, int width) {
        return Layers.conv3x3(w.at("conv"), x.ops().upsampleNearest(x, height, width));
    }
}
