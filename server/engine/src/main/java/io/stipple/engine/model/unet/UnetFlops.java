package io.stipple.engine.model.unet;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The floating-point work of one UNet forward, counted from its configuration as {@link UNetModel}
 * builds it: every convolution, linear layer and attention product at 2 FLOPs per multiply-add.
 * Norms, activations and the other elementwise work are left out (a few percent of the total).
 * {@code stipple bench} divides it by the step time; {@code UnetFlopsTest} holds it to the GEMMs an
 * actual forward runs.
 */
public final class UnetFlops {
    private final UnetConfig config;
    private final int batch;
    private final int contextTokens;
    private double flops;

    private UnetFlops(UnetConfig config, int batch, int contextTokens) {
        this.config = config;
        this.batch = batch;
        this.contextTokens = contextTokens;
    }

    /** One forward of a (batch, in, latentHeight, latentWidth) latent against contextTokens of conditioning. */
    public static double forward(UnetConfig config, int batch, int latentHeight, int latentWidth, int contextTokens) {
        UnetFlops count = new UnetFlops(config, batch, contextTokens);
        count.walk(latentHeight, latentWidth);
        return count.flops;
    }

    private void walk(int h, int w) {
        int mc = config.modelChannels();
        int temb = config.timeEmbedDim();
        linear(1, mc, temb);
        linear(1, temb, temb);
        if (config.admInChannels() > 0) {
            linear(1, config.admInChannels(), temb);
            linear(1, temb, temb);
        }
        conv(config.inChannels(), mc, 3, h * w);
        Deque<int[]> skips = new ArrayDeque<>(); // (channels, h, w) of each input block's output
        skips.push(new int[] {mc, h, w});
        int ch = mc;
        int depthIndex = 0;
        for (int level = 0; level < config.levels(); level++) {
            for (int r = 0; r < config.numResBlocks()[level]; r++) {
                int out = config.channelMult()[level] * mc;
                resBlock(ch, out, h * w);
                ch = out;
                transformer(config.transformerDepth()[depthIndex++], ch, h * w);
                skips.push(new int[] {ch, h, w});
            }
            if (level != config.levels() - 1) {
                h = (h - 1) / 2 + 1; // 3×3, stride 2, padding 1
                w = (w - 1) / 2 + 1;
                conv(ch, ch, 3, h * w);
                skips.push(new int[] {ch, h, w});
            }
        }
        if (config.transformerDepthMiddle() >= 0) {
            resBlock(ch, ch, h * w);
            transformer(config.transformerDepthMiddle(), ch, h * w);
            resBlock(ch, ch, h * w);
        } else if (config.transformerDepthMiddle() == -1) {
            resBlock(ch, ch, h * w);
            resBlock(ch, ch, h * w);
        }
        int[] depthOut = config.transformerDepthOutput();
        int block = 0;
        for (int level = config.levels() - 1; level >= 0; level--) {
            int n = config.numResBlocks()[level] + 1;
            for (int i = 0; i < n; i++) {
                int[] skip = skips.pop();
                int out = mc * config.channelMult()[level];
                resBlock(ch + skip[0], out, h * w);
                ch = out;
                transformer(depthOut[depthOut.length - 1 - block], ch, h * w);
                if (level > 0 && i == n - 1) {
                    int[] next = skips.peek(); // upsampled to the size of the skip it meets
                    h = next[1];
                    w = next[2];
                    conv(ch, ch, 3, h * w);
                }
                block++;
            }
        }
        conv(mc, config.outChannels(), 3, h * w);
    }

    private void resBlock(int in, int out, int positions) {
        conv(in, out, 3, positions);
        linear(1, config.timeEmbedDim(), out);
        conv(out, out, 3, positions);
        if (in != out) {
            conv(in, out, 1, positions);
        }
    }

    private void transformer(int depth, int ch, int tokens) {
        if (depth <= 0) {
            return;
        }
        linear(tokens, ch, ch); // proj_in: a 1×1 conv or a linear layer, the same work
        for (int d = 0; d < depth; d++) {
            attention(ch, tokens, ch, tokens); // attn1, over the image's own tokens
            attention(ch, tokens, config.contextDim(), contextTokens); // attn2, over the text
            linear(tokens, ch, 8 * ch); // GEGLU's projection to twice the inner width of 4·ch
            linear(tokens, 4 * ch, ch);
        }
        linear(tokens, ch, ch); // proj_out
    }

    /** to_q, to_k, to_v, the scores and their product with the values (over all heads), to_out. */
    private void attention(int ch, int queries, int kvChannels, int keys) {
        linear(queries, ch, ch);
        linear(keys, kvChannels, ch);
        linear(keys, kvChannels, ch);
        flops += 2.0 * 2.0 * batch * queries * keys * ch;
        linear(queries, ch, ch);
    }

    private void linear(int rows, int in, int out) {
        flops += 2.0 * batch * rows * in * out;
    }

    private void conv(int in, int out, int kernel, int positions) {
        flops += 2.0 * batch * positions * out * in * kernel * kernel;
    }
}
