package io.stipple.engine.model.vae;

import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.Weights;

/**
 * A VAE from a file of its own (models/vae, ComfyUI's VAELoader): the ldm layout with its keys bare
 * ({@code decoder.conv_in.weight}, as the standalone SD VAEs ship) or under a checkpoint's
 * {@code first_stage_model.}, or the diffusers layout ({@code decoder.up_blocks.*}), renamed on reading.
 */
public final class VaeFiles {
    private static final String CHECKPOINT_PREFIX = "first_stage_model.";

    private VaeFiles() {}

    /** The key prefix of the VAE in {@code weights}: "" or "first_stage_model.". */
    public static String prefix(ParameterSource weights) {
        return weights.has(CHECKPOINT_PREFIX + "decoder.conv_in.weight") ? CHECKPOINT_PREFIX : "";
    }

    /** {@code weights} under the ldm names: a diffusers-layout VAE renamed as ComfyUI renames it, any other as it is. */
    public static ParameterSource ldmNames(ParameterSource weights) {
        return DiffusersVaeNames.isDiffusersLayout(weights) ? new DiffusersVaeNames(weights) : weights;
    }

    /** @throws UnsupportedModelException naming what the file holds instead */
    public static AutoencoderKL load(ParameterSource file) {
        ParameterSource weights = ldmNames(file);
        String prefix = prefix(weights);
        VaeConfig config = VaeConfig.detectFrom(weights, prefix).orElseThrow(() -> new UnsupportedModelException(
                "no VAE in this file (expected: decoder.conv_in.weight, post_quant_conv.weight and decoder.conv_out.weight, bare or under "
                        + CHECKPOINT_PREFIX + ")"));
        return new AutoencoderKL(config, Weights.of(weights, prefix));
    }
}
