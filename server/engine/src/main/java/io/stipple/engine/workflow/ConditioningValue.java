package io.stipple.engine.workflow;

import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.tensor.Tensor;

/**
 * CONDITIONING: one encoded prompt, as ComfyUI's {@code [[cond, {"pooled_output": pooled}]]}.
 *
 * @param sdxlSize SDXL's size conditioning when a node set it (CLIPTextEncodeSDXL); null for the
 *     defaults KSampler takes from the latent's size
 */
public record ConditioningValue(Tensor context, Tensor pooled, SdxlSizeConditioning sdxlSize) implements Value {
    @Override
    public ValueType type() {
        return ValueType.CONDITIONING;
    }
}
