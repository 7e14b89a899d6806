package io.stipple.engine.merge;

/** How a blended component's weights are combined. */
public enum MergeMode {
    /**
     * {@code W = ratio·A + (1−ratio)·B}, ComfyUI's ModelMergeSimple convention: the ratio is model
     * A's weight, so ratio 1 gives model A. (AUTOMATIC1111's "multiplier M" is B's weight, 1 − ratio.)
     */
    WEIGHTED_SUM("weighted_sum"),
    /** {@code W = A + (B − C)·multiplier}: AUTOMATIC1111's "add difference" (B's change from its base C, added to A). */
    ADD_DIFFERENCE("add_difference");

    private final String id;

    MergeMode(String id) {
        this.id = id;
    }

    /** "weighted_sum", "add_difference": the name in metadata and the API. */
    public String id() {
        return id;
    }
}
