package io.stipple.engine.workflow;

import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * CONDITIONING: ComfyUI's list of {@code [cond, {"pooled_output": pooled}]} entries. CLIPTextEncode
 * makes one; ConditioningCombine joins lists, and the sampler averages the model's predictions over
 * the entries.
 */
public record ConditioningValue(List<Entry> entries) implements Value {
    /**
     * One encoded prompt.
     *
     * @param sdxlSize SDXL's size conditioning when a node set it; null for the defaults KSampler
     *     takes from the latent's size
     */
    public record Entry(Tensor context, Tensor pooled, SdxlSizeConditioning sdxlSize) {}

    public ConditioningValue {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a CONDITIONING holds at least one entry");
        }
    }

    public static ConditioningValue of(Tensor context, Tensor pooled, SdxlSizeConditioning sdxlSize) {
        return new ConditioningValue(List.of(new Entry(context, pooled, sdxlSize)));
    }

    @Override
    public ValueType type() {
        return ValueType.CONDITIONING;
    }
}
