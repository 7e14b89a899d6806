package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.tensor.Tensor;

/**
 * {@code .set_weight}: the weight is replaced by the file's tensor. ComfyUI's "set" patch copies it
 * over the weight whatever the strength, so the strength is ignored here too.
 */
final class SetPatch extends WholeTensorPatch {
    SetPatch(String key, LoraKeyMap.Target target, LoraFile file) {
        super(key, target, file, "a replacement");
    }

    @Override
    protected Tensor patch(Tensor weight, double strength) {
        return file.load(key);
    }

    @Override
    public boolean appliesAtZeroStrength() {
        return true;
    }
}
