package io.stipple.engine.model.unet;

import io.stipple.engine.model.nn.LayerChain;
import io.stipple.engine.model.nn.Layers;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * openaimodel.py's UNetModel, for SD1.x and SDXL: time_embed (and SDXL's label_emb), input_blocks,
 * middle_block, output_blocks and out, built in the same order and with the same names as the
 * checkpoint's keys. Predicts the noise (eps) in x.
 */
public final class UNetModel {
    private final UnetConfig config;
    private final Weights w;
    private final List<List<UnetLayer>> inputBlocks = new ArrayList<>();
    private final List<UnetLayer> middleBlock = new ArrayList<>();
    private final List<List<UnetLayer>> outputBlocks = new ArrayList<>();

    /** @param w the weights under the UNet's prefix ({@code model.diffusion_model.}) */
    public UNetModel(UnetConfig config, Weights w) {
        this.config = config;
        this.w = w;
        build();
    }

    public UnetConfig config() {
        return config;
    }

    private void build() {
        int mc = config.modelChannels();
        int ch = mc;
        inputBlocks.add(List.of(new ConvIn(w.at("input_blocks.0.0"))));
        int block = 1;
        int depthIndex = 0;
        for (int level = 0; level < config.levels(); level++) {
            for (int r = 0; r < config.numResBlocks()[level]; r++) {
                Weights b = w.at("input_blocks").at(block);
                List<UnetLayer> layers = new ArrayList<>();
                layers.add(new ResBlock(b.at(0)));
                ch = config.channelMult()[level] * mc;
                int depth = config.transformerDepth()[depthIndex++];
                if (depth > 0) {
                    layers.add(transformer(b.at(1), depth, ch));
                }
                inputBlocks.add(layers);
                block++;
            }
            if (level != config.levels() - 1) {
                inputBlocks.add(List.of(new Downsample(w.at("input_blocks").at(block).at(0))));
                block++;
            }
        }
        // transformer_depth_middle: >= 0 ResBlock, SpatialTransformer, ResBlock; -1 two ResBlocks; -2 none
        Weights mid = w.at("middle_block");
        if (config.transformerDepthMiddle() >= 0) {
            middleBlock.add(new ResBlock(mid.at(0)));
            middleBlock.add(transformer(mid.at(1), config.transformerDepthMiddle(), ch));
            middleBlock.add(new ResBlock(mid.at(2)));
        } else if (config.transformerDepthMiddle() == -1) {
            middleBlock.add(new ResBlock(mid.at(0)));
            middleBlock.add(new ResBlock(mid.at(1)));
        }
        int out = 0;
        int[] depthOut = config.transformerDepthOutput();
        for (int level = config.levels() - 1; level >= 0; level--) {
            int n = config.numResBlocks()[level] + 1;
            for (int i = 0; i < n; i++) {
                Weights b = w.at("output_blocks").at(out);
                List<UnetLayer> layers = new ArrayList<>();
                layers.add(new ResBlock(b.at(0)));
                ch = mc * config.channelMult()[level];
                // detection lists output depths from the last output block back (openaimodel pops them)
                int depth = depthOut[depthOut.length - 1 - out];
                int next = 1;
                if (depth > 0) {
                    layers.add(transformer(b.at(1), depth, ch));
                    next = 2;
                }
                if (level > 0 && i == n - 1) {
                    layers.add(new Upsample(b.at(next)));
                }
                outputBlocks.add(layers);
                out++;
            }
        }
    }

    private SpatialTransformer transformer(Weights b, int depth, int channels) {
        return new SpatialTransformer(b, depth, config.useLinearInTransformer(), config.heads().headsFor(channels));
    }

    /**
     * @param x (batch, in, h, w) noisy latent (already scaled for the timestep)
     * @param timesteps one (fractional) timestep per batch element
     * @param context (batch, tokens, context_dim) text conditioning
     * @param y (batch, adm_in_channels) SDXL's ADM vector, or null
     * @return (batch, out, h, w) predicted noise
     */
    public Tensor forward(Tensor x, float[] timesteps, Tensor context, Tensor y) {
        Ops ops = x.ops();
        try (TensorScope scope = ops.scope()) {
            Tensor emb = TimestepEmbedding.embed(ops, timesteps, config.modelChannels());
            emb = Layers.linear(w.at("time_embed.0"), emb);
            emb = Layers.linear(w.at("time_embed.2"), Layers.silu(emb)); // (batch, 4·mc)
            if (config.admInChannels() > 0) {
                if (y == null) {
                    throw new IllegalArgumentException("this UNet needs an ADM vector y of width " + config.admInChannels());
                }
                Tensor label = Layers.linear(w.at("label_emb.0.0"), y);
                label = Layers.linear(w.at("label_emb.0.2"), Layers.silu(label));
                emb = emb.add(label);
            }
            Deque<Tensor> hs = new ArrayDeque<>();
            Tensor h = x;
            for (List<UnetLayer> blockLayers : inputBlocks) {
                h = run(scope, blockLayers, h, emb, context, null);
                hs.push(h);
            }
            h = run(scope, middleBlock, h, emb, context, null);
            for (List<UnetLayer> blockLayers : outputBlocks) {
                Tensor skip = hs.pop();
                Tensor joined = ops.concat(1, h, skip);
                // both read for the last time (they are one tensor when the middle block is empty)
                scope.free(h);
                scope.free(skip);
                Tensor next = hs.peek(); // the skip the upsampled output will meet
                h = run(scope, blockLayers, joined, emb, context, next);
                if (h != joined) {
                    scope.free(joined);
                }
            }
            h = Layers.groupNorm(w.at("out.0"), h, 32, 1e-5f);
            return scope.keep(Layers.conv3x3(w.at("out.2"), Layers.silu(h)));
        }
    }

    /** One block's layers, each in its own scope; what one layer made is freed once the next has read it. */
    private static Tensor run(TensorScope scope, List<UnetLayer> layers, Tensor h, Tensor emb, Tensor context, Tensor nextSkip) {
        LayerChain chain = new LayerChain(scope, h);
        for (UnetLayer layer : layers) {
            chain.then(t -> layer instanceof Upsample up && nextSkip != null
                    ? up.forward(t, nextSkip.dim(2), nextSkip.dim(3))
                    : layer.forward(t, emb, context));
        }
        return chain.result();
    }
}
