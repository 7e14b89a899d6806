package io.stipple.engine.detect;

import io.stipple.engine.sampling.SamplingSettings;
import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.model.vae.VaeConfig;
import java.util.List;

/**
 * What a checkpoint holds, as detected from its weights' names and shapes.
 *
 * @param unetPrefix the UNet's key prefix ("model.diffusion_model.")
 * @param vaePrefix the VAE's key prefix ("first_stage_model.")
 * @param sampling what the UNet predicts and its schedule, as the checkpoint says (eps unless it says otherwise)
 */
public record ModelArchitecture(ModelFamily family, String unetPrefix, UnetConfig unet,
        List<TextEncoderConfig> textEncoders, String vaePrefix, VaeConfig vae, SamplingSettings sampling) {

    public TextEncoderConfig textEncoder(String name) {
        return textEncoders.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(family.id() + " model has no " + name));
    }
}
