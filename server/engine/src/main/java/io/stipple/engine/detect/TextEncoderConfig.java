package io.stipple.engine.detect;

/**
 * One CLIP text encoder of a checkpoint.
 *
 * @param name ComfyUI's name for it: "clip_l", "clip_g"
 * @param prefix its key prefix ("cond_stage_model.transformer.")
 * @param openClipLayout OpenCLIP key layout (resblocks, in_proj) rather than Hugging Face's
 */
public record TextEncoderConfig(String name, String prefix, boolean openClipLayout, int width, int layers, int heads) {

    /** CLIP text models use 64-wide heads; narrower test-sized models use 4 heads (the golden fixtures). */
    static int headsFor(int width) {
        return width >= 256 && width % 64 == 0 ? width / 64 : 4;
    }
}
