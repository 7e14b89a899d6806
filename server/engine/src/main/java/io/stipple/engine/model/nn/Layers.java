package io.stipple.engine.model.nn;

import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.UnaryOp;

/**
 * torch.nn layers as functions of their weights: {@code Layers.linear(w.at("to_q"), x)} is
 * {@code self.to_q(x)}. Biases are optional, as the checkpoint has them or not.
 */
public final class Layers {
    private Layers() {}

    /** nn.Linear: x · weightᵀ + bias. */
    public static Tensor linear(Weights w, Tensor x) {
        return x.ops().linear(x, w.get("weight"), w.orNull("bias"));
    }

    /** nn.Conv2d with symmetric padding. */
    public static Tensor conv2d(Weights w, Tensor x, int stride, int padding) {
        return x.ops().conv2d(x, w.get("weight"), w.orNull("bias"), stride, padding);
    }

    /** nn.Conv2d 3×3, stride 1, padding 1: the resolution-preserving convolution. */
    public static Tensor conv3x3(Weights w, Tensor x) {
        return conv2d(w, x, 1, 1);
    }

    /** nn.Conv2d 1×1. */
    public static Tensor conv1x1(Weights w, Tensor x) {
        return conv2d(w, x, 1, 0);
    }

    /** nn.GroupNorm with affine weights. */
    public static Tensor groupNorm(Weights w, Tensor x, int groups, float eps) {
        return x.ops().groupNorm(x, groups, w.get("weight"), w.get("bias"), eps);
    }

    /** nn.LayerNorm over the last dimension with affine weights. */
    public static Tensor layerNorm(Weights w, Tensor x, float eps) {
        return x.ops().layerNorm(x, w.get("weight"), w.orNull("bias"), eps);
    }

    public static Tensor silu(Tensor x) {
        return x.apply(UnaryOp.SILU);
    }
}
