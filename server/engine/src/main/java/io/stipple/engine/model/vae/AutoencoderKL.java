package io.stipple.engine.model.vae;

import io.stipple.engine.model.nn.LayerChain;
import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;

/**
 * The VAE (ldm's AutoencoderKL): pixels in [-1, 1] to the latent and back. The latent here is the
 * VAE's own ("unscaled"); the model's latent format scales it for the UNet.
 */
public final class AutoencoderKL {
    private final VaeConfig config;
    private final Weights w;

    /** @param w the weights under the VAE's prefix ({@code first_stage_model.}) */
    public AutoencoderKL(VaeConfig config, Weights w) {
        this.config = config;
        this.w = w;
    }

    public VaeConfig config() {
        return config;
    }

    /** (batch, 3, H, W) pixels in [-1, 1] to the posterior moments (batch, 2·embed_dim, H/8, W/8): mean then log-variance. */
    public Tensor encodeMoments(Tensor pixels) {
        try (TensorScope scope = pixels.ops().scope()) {
            Weights enc = w.at("encoder");
            LayerChain h = new LayerChain(scope, pixels).then(x -> Layers.conv3x3(enc.at("conv_in"), x));
            int levels = config.chMult().length;
            for (int level = 0; level < levels; level++) {
                Weights down = enc.at("down").at(level);
                for (int i = 0; i < config.numResBlocks(); i++) {
                    Weights block = down.at("block").at(i);
                    h.then(x -> VaeBlocks.resnet(block, x));
                }
                if (level != levels - 1) {
                    h.then(x -> VaeBlocks.downsample(down.at("downsample"), x));
                }
            }
            middle(enc.at("mid"), h);
            h.then(x -> Layers.conv3x3(enc.at("conv_out"), Layers.silu(VaeBlocks.norm(enc.at("norm_out"), x))))
                    .then(x -> Layers.conv1x1(w.at("quant_conv"), x));
            return scope.keep(h.result());
        }
    }

    /** The posterior's mode (its mean), as ComfyUI's VAEEncode takes it: (batch, embed_dim, H/8, W/8). */
    public Tensor encode(Tensor pixels) {
        try (TensorScope scope = pixels.ops().scope()) {
            Tensor moments = encodeMoments(pixels);
            return scope.keep(moments.ops().narrow(moments, 1, 0, config.embedDim()));
        }
    }

    /** (batch, embed_dim, h, w) latent to (batch, 3, 8h, 8w) pixels, roughly in [-1, 1], unclamped. */
    public Tensor decode(Tensor latent) {
        try (TensorScope scope = latent.ops().scope()) {
            Weights dec = w.at("decoder");
            LayerChain h = new LayerChain(scope, latent)
                    .then(x -> Layers.conv1x1(w.at("post_quant_conv"), x))
                    .then(x -> Layers.conv3x3(dec.at("conv_in"), x));
            middle(dec.at("mid"), h);
            for (int level = config.chMult().length - 1; level >= 0; level--) {
                Weights up = dec.at("up").at(level);
                for (int i = 0; i <= config.numResBlocks(); i++) {
                    Weights block = up.at("block").at(i);
                    h.then(x -> VaeBlocks.resnet(block, x));
                }
                if (level != 0) {
                    h.then(x -> VaeBlocks.upsample(up.at("upsample"), x));
                }
            }
            h.then(x -> Layers.conv3x3(dec.at("conv_out"), Layers.silu(VaeBlocks.norm(dec.at("norm_out"), x))));
            return scope.keep(h.result());
        }
    }

    private static void middle(Weights mid, LayerChain h) {
        h.then(x -> VaeBlocks.resnet(mid.at("block_1"), x))
                .then(x -> VaeBlocks.attention(mid.at("attn_1"), x))
                .then(x -> VaeBlocks.resnet(mid.at("block_2"), x));
    }
}
