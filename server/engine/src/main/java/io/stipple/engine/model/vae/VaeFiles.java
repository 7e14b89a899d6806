package io.stipple.engine.model.vae;

import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.Weights;

/**
 * A VAE from a file of its own (models/vae, ComfyUI's VAELoader): the ldm layout with its keys bare
 * ({@code decoder.conv_in.weight}, as the standalone SD VAEs ship) or under a checkpoint's
 * {@code first_stage_model.}; the diffusers layout is refused by name.
 */
public final class VaeFiles {
    private static final String CHECKPOINT_PREFIX = "first_stage_model.";

    private VaeFiles() {}

    /** The key prefix of the VAE in {@code weights}: "" or "first_stage_model.". */
    public static String prefix(ParameterSource weights) {
        return weights.has(CHECKPOINT_PREFIX + "decoder.conv_in.weight") ? CHECKPOINT_PREFIX : "";
    }

    /** @throws UnsupportedModelException naming what the file holds instead */
    public static AutoencoderKL load(ParameterSource weights) {
        String prefix = prefix(weights);
        if (weights.has("decoder.up_blocks.0.resnets.0.norm1.weight")) {
            throw new UnsupportedModelException("this VAE is in the diffusers layout (decoder.up_blocks.*); Stipple reads the ldm layout"
                    + " (decoder.up.*), as the .safetensors VAEs of SD1.5 and SDXL ship");
        }
        VaeConfig config = VaeConfig.detectFrom(weights, prefix).orElseThrow(() -> new UnsupportedModelException(
                "no VAE in this file (expected: decoder.conv_in.weight, post_quant_conv.weight and decoder.conv_out.weight, bare or under "
                        + CHECKPOINT_PREFIX + ")"));
        return new AutoencoderKL(config, Weights.of(weights, prefix));
    }
}
