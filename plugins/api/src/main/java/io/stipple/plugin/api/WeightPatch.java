package io.stipple.plugin.api;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Set;

/** One adapter's change to one model weight. */
public interface WeightPatch {

    /** The weight it patches. */
    LoraKeyMap.Target target();

    /** The keys of the LoRA file this patch was built from (for the report of unused keys). */
    Set<String> sourceKeys();

    /**
     * Whether the patch fits a weight of this shape, from the declared shapes alone (no tensor is
     * read), so that a LoRA for another model is refused when it is loaded rather than when a weight
     * is first used.
     *
     * @throws IllegalArgumentException when it does not: the message names the key and both shapes
     */
    void checkFits(Shape weight);

    /**
     * The patched weight for {@code strength}, W + strength · ΔW for plain LoRA (DoRA renormalises).
     * {@code weight} is float32; the result has its shape. The strength is a double, as ComfyUI's
     * (a Python float): it is multiplied with the adapter's alpha/rank in double before the product
     * is rounded to float32.
     *
     * @throws IllegalArgumentException when the patch does not fit the weight's shape (a LoRA for
     *     another model): the message names the key and both shapes
     */
    Tensor apply(Tensor weight, double strength);

    /**
     * Whether the patch changes the weight even at strength 0: true for a patch that replaces the
     * weight whatever the strength (ComfyUI's "set"), which ComfyUI applies for a component at
     * strength 0 whenever the LoRA's other strength is not 0. False for every patch that scales.
     */
    default boolean appliesAtZeroStrength() {
        return false;
    }
}
