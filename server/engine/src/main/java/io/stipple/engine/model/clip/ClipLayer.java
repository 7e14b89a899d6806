package io.stipple.engine.model.clip;

/**
 * Which hidden state of a CLIP text model becomes the conditioning (ComfyUI's layer / layer_idx /
 * layer_norm_hidden_state, set by CLIPSetLastLayer).
 *
 * @param index the layer whose output is taken; negative counts from the end (-1 the last)
 * @param normalize whether final_layer_norm is applied to it
 */
public record ClipLayer(int index, boolean normalize) {

    /** SD1.x's default: the last layer, normalised. */
    public static final ClipLayer LAST = new ClipLayer(-1, true);

    /** SD1.x with clip skip: layer {@code index} (negative), then final_layer_norm. */
    public static ClipLayer normalizedHidden(int index) {
        return new ClipLayer(index, true);
    }

    /** SDXL's encoders: layer {@code index} (default -2) without the final norm. */
    public static ClipLayer rawHidden(int index) {
        return new ClipLayer(index, false);
    }
}
