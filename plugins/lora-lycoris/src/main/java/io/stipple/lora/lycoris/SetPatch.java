package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Set;

/**
 * {@code .set_weight}: the weight is replaced by the file's tensor. ComfyUI's "set" patch copies it
 * over the weight whatever the strength, so the strength is ignored here too.
 */
final class SetPatch implements WeightPatch {
    private final String key;
    private final LoraKeyMap.Target target;
    private final LoraFile file;
    private final Shape shape;

    SetPatch(String key, LoraKeyMap.Target target, LoraFile file) {
        this.key = key;
        this.target = target;
        this.file = file;
        this.shape = file.shape(key);
    }

    @Override
    public LoraKeyMap.Target target() {
        return target;
    }

    @Override
    public Set<String> sourceKeys() {
        return Set.of(key);
    }

    @Override
    public void checkFits(Shape weight) {
        if (!shape.equals(weight)) {
            throw new IllegalArgumentException(key + ": a replacement of shape " + shape + " for " + target.describe()
                    + " of shape " + weight + " (expected: the same shape)");
        }
    }

    @Override
    public Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        return file.load(key);
    }

    @Override
    public boolean appliesAtZeroStrength() {
        return true;
    }

    @Override
    public String toString() {
        return "SetPatch[" + key + " -> " + target.describe() + "]";
    }
}
