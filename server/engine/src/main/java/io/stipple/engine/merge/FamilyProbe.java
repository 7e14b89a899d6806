package io.stipple.engine.merge;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.weights.ParameterSource;

/**
 * The family of a merge input, from its UNet alone: model B of a merge is often a UNet-only file,
 * which the full {@link io.stipple.engine.detect.ModelDetector} refuses for lack of text encoders.
 */
final class FamilyProbe {
    private static final String UNET_IN = "model.diffusion_model.input_blocks.0.0.weight";
    /** SDXL's UNet takes the pooled text and size embeddings through label_emb; SD1.x has none. */
    private static final String SDXL_LABEL = "model.diffusion_model.label_emb.0.0.weight";

    private FamilyProbe() {}

    static ModelFamily of(String role, MergeModel model) {
        ParameterSource w = model.weights();
        if (!w.has(UNET_IN)) {
            throw new UnsupportedModelException(role + " (" + model.name() + ") has no Stable Diffusion UNet (" + UNET_IN
                    + "); a merge needs checkpoints or UNet-only files");
        }
        if (w.has("cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight")) {
            throw new UnsupportedModelException(role + " (" + model.name() + ") looks like Stable Diffusion 2.x; SD2 is not supported yet");
        }
        return w.has(SDXL_LABEL) ? ModelFamily.SDXL : ModelFamily.SD15;
    }
}
