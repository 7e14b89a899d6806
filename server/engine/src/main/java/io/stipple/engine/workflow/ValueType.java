package io.stipple.engine.workflow;

/** ComfyUI's type names for what an input takes and an output gives. */
public enum ValueType {
    MODEL, CLIP, VAE, CONDITIONING, LATENT, IMAGE, MASK,
    INT, FLOAT, STRING, BOOLEAN,
    /** one of a list of names (samplers, schedulers, files) */
    COMBO;

    /** Whether values of this type only ever arrive over a link (they are not JSON literals). */
    public boolean isLinkOnly() {
        return ordinal() <= MASK.ordinal();
    }
}
