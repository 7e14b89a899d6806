package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/** W + strength · D for a difference D of exactly the weight's shape. */
final class DiffPatch extends WholeTensorPatch {
    DiffPatch(String key, LoraKeyMap.Target target, LoraFile file) {
        super(key, target, file, "a difference");
    }

    @Override
    protected Tensor patch(Tensor weight, double strength) {
        Ops ops = weight.ops();
        return ops.add(weight, ops.scale(file.load(key), (float) strength));
    }
}
