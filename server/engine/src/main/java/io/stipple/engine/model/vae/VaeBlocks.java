package io.stipple.engine.model.vae;

import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;

/** The building blocks of ldm's diffusionmodules/model.py: ResnetBlock, AttnBlock, Up/Downsample. */
final class VaeBlocks {
    private static final int GROUPS = 32;
    private static final float EPS = 1e-6f;

    private VaeBlocks() {}

    static Tensor norm(Weights w, Tensor x) {
        return Layers.groupNorm(w, x, GROUPS, EPS);
    }

    /** ResnetBlock without a timestep: norm1, swish, conv1, norm2, swish, conv2, plus nin_shortcut(x). */
    static Tensor resnet(Weights w, Tensor x) {
        Tensor h = Layers.conv3x3(w.at("conv1"), Layers.silu(norm(w.at("norm1"), x)));
        h = Layers.conv3x3(w.at("conv2"), Layers.silu(norm(w.at("norm2"), h)));
        Tensor skip = w.has("nin_shortcut.weight") ? Layers.conv1x1(w.at("nin_shortcut"), x) : x;
        return skip.add(h);
    }

    /** AttnBlock: single-head attention over the pixels, q/k/v/proj_out as 1×1 convolutions. */
    static Tensor attention(Weights w, Tensor x) {
        int b = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        Tensor h = norm(w.at("norm"), x);
        Tensor q = tokens(pointwise(w.at("q"), h), b, c, hw);
        Tensor k = tokens(pointwise(w.at("k"), h), b, c, hw);
        Tensor v = tokens(pointwise(w.at("v"), h), b, c, hw);
        Tensor o = x.ops().attention(q, k, v, 1, false); // (b, hw, c)
        o = o.ops().permute(o, 0, 2, 1).reshape(b, c, x.dim(2), x.dim(3));
        return x.add(pointwise(w.at("proj_out"), o));
    }

    /** A 1×1 convolution, also for VAEs whose attention weights were saved as linear (c, c). */
    private static Tensor pointwise(Weights w, Tensor x) {
        Tensor weight = w.get("weight");
        if (weight.rank() == 2) {
            weight = weight.reshape(weight.dim(0), weight.dim(1), 1, 1);
        }
        return x.ops().conv2d(x, weight, w.orNull("bias"), 1, 0);
    }

    private static Tensor tokens(Tensor x, int b, int c, int hw) {
        return x.ops().permute(x.reshape(b, c, hw), 0, 2, 1); // (b, hw, c)
    }

    /** Encoder Downsample: pad right and bottom by one, 3×3 convolution with stride 2. */
    static Tensor downsample(Weights w, Tensor x) {
        return Layers.conv2d(w.at("conv"), x.ops().pad2d(x, 0, 1, 0, 1), 2, 0);
    }

    /** Decoder Upsample: nearest ×2, 3×3 convolution. */
    static Tensor upsample(Weights w, Tensor x) {
        return Layers.conv3x3(w.at("conv"), x.ops().upsampleNearest2x(x));
    }
}
