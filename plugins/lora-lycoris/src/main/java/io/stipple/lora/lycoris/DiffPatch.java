package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Set;

/** W + strength · D for a difference D of exactly the weight's shape. */
final class DiffPatch implements WeightPatch {
    private final String key;
    private final LoraKeyMap.Target target;
    private final LoraFile file;
    private final Shape shape;

    DiffPatch(String key, LoraKeyMap.Target target, LoraFile file) {
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
            throw new IllegalArgumentException(key + ": a difference of shape " + shape + " for " + target.describe()
                    + " of shape " + weight + " (expected: the same shape)");
        }
    }

    @Override
    public Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        Ops ops = weight.ops();
        return ops.add(weight, ops.scale(file.load(key), (float) strength));
    }

    @Override
    public String toString() {
        return "DiffPatch[" + key + " -> " + target.describe() + "]";
    }
}
