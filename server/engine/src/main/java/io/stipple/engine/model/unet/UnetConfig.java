package io.stipple.engine.model.unet;

import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The UNet's hyper-parameters (openaimodel.py's constructor arguments), found from the weights'
 * names and shapes alone, as ComfyUI's {@code detect_unet_config} does. Attention heads are not
 * visible in the weights: {@link AttentionHeads} carries the family's rule.
 *
 * @param transformerDepth transformer blocks after each input block's ResBlock (0 = no attention)
 * @param transformerDepthOutput the same for each output block
 * @param transformerDepthMiddle transformer blocks in the middle block
 * @param admInChannels width of SDXL's ADM vector {@code y}, or 0 when the model takes none
 */
public record UnetConfig(
        int inChannels,
        int outChannels,
        int modelChannels,
        int[] channelMult,
        int[] numResBlocks,
        int[] transformerDepth,
        int[] transformerDepthOutput,
        int transformerDepthMiddle,
        int contextDim,
        boolean useLinearInTransformer,
        int admInChannels,
        AttentionHeads heads) {

    /** How many heads an attention layer of {@code channels} has: a fixed count (SD1.x) or a fixed head width (SDXL). */
    public record AttentionHeads(int numHeads, int headChannels) {
        public static AttentionHeads count(int n) {
            return new AttentionHeads(n, -1);
        }

        public static AttentionHeads width(int channels) {
            return new AttentionHeads(-1, channels);
        }

        public int headsFor(int channels) {
            return numHeads > 0 ? numHeads : Math.max(1, channels / headChannels);
        }
    }

    public int timeEmbedDim() {
        return modelChannels * 4;
    }

    public int levels() {
        return channelMult.length;
    }

    /**
     * Reads the architecture from the keys under {@code prefix} (e.g. "model.diffusion_model."),
     * or empty if there is no UNet there. {@code heads} comes from the caller, who knows the family.
     */
    public static Optional<UnetConfig> detectFrom(ParameterSource weights, String prefix, AttentionHeads heads) {
        Optional<TensorInfo> convIn = weights.info(prefix + "input_blocks.0.0.weight");
        if (convIn.isEmpty()) {
            return Optional.empty();
        }
        List<String> keys = weights.keys();
        int modelChannels = convIn.get().shape().dim(0);
        int inChannels = convIn.get().shape().dim(1);
        int outChannels = weights.info(prefix + "out.2.weight").map(i -> i.shape().dim(0)).orElse(4);
        int adm = weights.info(prefix + "label_emb.0.0.weight").map(i -> i.shape().dim(1)).orElse(0);

        List<Integer> numRes = new ArrayList<>();
        List<Integer> mult = new ArrayList<>();
        List<Integer> depth = new ArrayList<>();
        List<Integer> depthOut = new ArrayList<>();
        int contextDim = -1;
        boolean linear = false;
        int lastRes = 0;
        int lastMult = 0;
        int inputBlocks = countBlocks(keys, prefix + "input_blocks.", ".");
        for (int count = 0; count < inputBlocks; count++) {
            String in = prefix + "input_blocks." + count + ".";
            String out = prefix + "output_blocks." + (inputBlocks - count - 1) + ".";
            if (weights.has(in + "0.op.weight")) {
                numRes.add(lastRes);
                mult.add(lastMult);
                lastRes = 0;
                lastMult = 0;
                depthOut.add(transformerDepth(weights, keys, out).map(TransformerInfo::depth).orElse(0));
                continue;
            }
            if (weights.has(in + "0.in_layers.0.weight")) {
                lastRes++;
                lastMult = weights.info(in + "0.out_layers.3.weight").orElseThrow().shape().dim(0) / modelChannels;
                Optional<TransformerInfo> t = transformerDepth(weights, keys, in);
                depth.add(t.map(TransformerInfo::depth).orElse(0));
                if (t.isPresent() && contextDim < 0) {
                    contextDim = t.get().contextDim();
                    linear = t.get().linear();
                }
            }
            if (weights.has(out + "0.in_layers.0.weight")) {
                depthOut.add(transformerDepth(weights, keys, out).map(TransformerInfo::depth).orElse(0));
            }
        }
        numRes.add(lastRes);
        mult.add(lastMult);
        int middle = weights.has(prefix + "middle_block.1.proj_in.weight")
                ? countBlocks(keys, prefix + "middle_block.1.transformer_blocks.", ".")
                : weights.has(prefix + "middle_block.0.in_layers.0.weight") ? -1 : -2;
        if (contextDim < 0 && middle > 0) {
            contextDim = weights.info(prefix + "middle_block.1.transformer_blocks.0.attn2.to_k.weight").orElseThrow().shape().dim(1);
            linear = weights.info(prefix + "middle_block.1.proj_in.weight").orElseThrow().shape().rank() == 2;
        }
        return Optional.of(new UnetConfig(inChannels, outChannels, modelChannels, ints(mult), ints(numRes), ints(depth),
                ints(depthOut), middle, contextDim, linear, adm, heads));
    }

    private record TransformerInfo(int depth, int contextDim, boolean linear) {}

    private static Optional<TransformerInfo> transformerDepth(ParameterSource weights, List<String> keys, String block) {
        String t = block + "1.transformer_blocks.";
        int depth = countBlocks(keys, t, ".");
        if (depth == 0) {
            return Optional.empty();
        }
        int ctx = weights.info(t + "0.attn2.to_k.weight").orElseThrow().shape().dim(1);
        boolean linear = weights.info(block + "1.proj_in.weight").orElseThrow().shape().rank() == 2;
        return Optional.of(new TransformerInfo(depth, ctx, linear));
    }

    /** How many consecutive indices n have a key starting with prefix + n + suffix. */
    static int countBlocks(List<String> keys, String prefix, String suffix) {
        int n = 0;
        while (true) {
            String p = prefix + n + suffix;
            if (keys.stream().noneMatch(k -> k.startsWith(p))) {
                return n;
            }
            n++;
        }
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnetConfig c && inChannels == c.inChannels && outChannels == c.outChannels
                && modelChannels == c.modelChannels && Arrays.equals(channelMult, c.channelMult)
                && Arrays.equals(numResBlocks, c.numResBlocks) && Arrays.equals(transformerDepth, c.transformerDepth)
                && Arrays.equals(transformerDepthOutput, c.transformerDepthOutput)
                && transformerDepthMiddle == c.transformerDepthMiddle && contextDim == c.contextDim
                && useLinearInTransformer == c.useLinearInTransformer && admInChannels == c.admInChannels
                && heads.equals(c.heads);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(channelMult) * 31 + modelChannels;
    }

    @Override
    public String toString() {
        return "UnetConfig[model_channels=" + modelChannels + ", channel_mult=" + Arrays.toString(channelMult)
                + ", num_res_blocks=" + Arrays.toString(numResBlocks) + ", transformer_depth=" + Arrays.toString(transformerDepth)
                + ", transformer_depth_output=" + Arrays.toString(transformerDepthOutput) + ", transformer_depth_middle="
                + transformerDepthMiddle + ", context_dim=" + contextDim + ", use_linear_in_transformer="
                + useLinearInTransformer + ", adm_in_channels=" + admInChannels + ", heads=" + heads + "]";
    }
}
