package io.stipple.engine.model.vae;

import io.stipple.engine.weights.ParameterSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * AutoencoderKL's ddconfig (ch, ch_mult, num_res_blocks, z_channels) and embed_dim, read from the
 * weights' shapes. SD1.x and SDXL share the architecture: 128 channels, mult [1,2,4,4], 2 blocks.
 */
public record VaeConfig(int ch, int[] chMult, int numResBlocks, int zChannels, int embedDim, int inChannels) {

    /** The image is this many times larger than the latent on each side. */
    public int downscale() {
        return 1 << (chMult.length - 1);
    }

    /** Reads the config from keys under {@code prefix} ("first_stage_model."), or empty without a VAE. */
    public static Optional<VaeConfig> detectFrom(ParameterSource weights, String prefix) {
        var convIn = weights.info(prefix + "decoder.conv_in.weight");
        var postQuant = weights.info(prefix + "post_quant_conv.weight");
        var convOut = weights.info(prefix + "decoder.conv_out.weight");
        if (convIn.isEmpty() || postQuant.isEmpty() || convOut.isEmpty()) {
            return Optional.empty();
        }
        int levels = 0;
        while (weights.has(prefix + "decoder.up." + levels + ".block.0.conv1.weight")) {
            levels++;
        }
        int ch = convOut.get().shape().dim(1);
        int[] mult = new int[levels];
        for (int i = 0; i < levels; i++) {
            mult[i] = weights.info(prefix + "decoder.up." + i + ".block.0.conv2.weight").orElseThrow().shape().dim(0) / ch;
        }
        int blocks = 0;
        while (weights.has(prefix + "decoder.up.0.block." + blocks + ".conv1.weight")) {
            blocks++;
        }
        int inChannels = weights.info(prefix + "encoder.conv_in.weight").map(i -> i.shape().dim(1)).orElse(3);
        return Optional.of(new VaeConfig(ch, mult, blocks - 1, convIn.get().shape().dim(1),
                postQuant.get().shape().dim(0), inChannels));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && ch == c.ch && Arrays.equals(chMult, c.chMult) && numResBlocks == c.numResBlocks
                && zChannels == c.zChannels && embedDim == c.embedDim && inChannels == c.inChannels;
    }

    @Override
    public int hashCode() {
        return ch * 31 + Arrays.hashCode(chMult);
    }

    @Override
    public String toString() {
        return "VaeConfig[ch=" + ch + ", ch_mult=" + Arrays.toString(chMult) + ", num_res_blocks=" + numResBlocks
                + ", z_channels=" + zChannels + ", embed_dim=" + embedDim + "]";
    }
}
