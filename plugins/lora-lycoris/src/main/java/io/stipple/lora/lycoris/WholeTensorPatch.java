package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Set;

/** A patch that is one tensor of the weight's own shape in the file (a difference, a replacement). */
abstract class WholeTensorPatch implements WeightPatch {
    protected final String key;
    protected final LoraKeyMap.Target target;
    protected final LoraFile file;
    private final Shape shape;
    private final String what;

    /** @param what the tensor as error messages name it ("a difference") */
    WholeTensorPatch(String key, LoraKeyMap.Target target, LoraFile file, String what) {
        this.key = key;
        this.target = target;
        this.file = file;
        this.shape = file.shape(key);
        this.what = what;
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
            throw new IllegalArgumentException(key + ": " + what + " of shape " + shape + " for " + target.describe()
                    + " of shape " + weight + " (expected: the same shape)");
        }
    }

    /** The patched weight, {@code weight}'s shape already checked. */
    protected abstract Tensor patch(Tensor weight, double strength);

    @Override
    public final Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        return patch(weight, strength);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + key + " -> " + target.describe() + "]";
    }
}
