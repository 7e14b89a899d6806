package io.stipple.plugin.api;

import io.stipple.tensor.Tensor;
import java.util.Set;

/** One adapter's change to one model weight. */
public interface WeightPatch {

    /** The weight it patches. */
    LoraKeyMap.Target target();

    /** The keys of the LoRA file this patch was built from (for the report of unused keys). */
    Set<String> sourceKeys();

    /**
     * The patched weight for {@code strength}, W + strength · ΔW for plain LoRA (DoRA renormalises).
     * {@code weight} is float32; the result has its shape.
     *
     * @throws IllegalArgumentException when the patch does not fit the weight's shape (a LoRA for
     *     another model): the message names the key and both shapes
     */
    Tensor apply(Tensor weight, float strength);
}
