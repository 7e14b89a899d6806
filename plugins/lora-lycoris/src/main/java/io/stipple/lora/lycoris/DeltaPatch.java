package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A patch that adds a low-rank (or otherwise factored) difference ΔW to a weight, as ComfyUI's
 * LoRA, LoHa and LoKr adapters do: W + (strength · scale) · ΔW, the product of strength and scale
 * taken in double and rounded to float once; or, with a {@code dora_scale}, DoRA's renormalised
 * weight ({@link DoraDecomposition}).
 */
abstract class DeltaPatch implements WeightPatch {
    private final String stem;
    private final LoraKeyMap.Target target;
    private final Set<String> sourceKeys;
    private final LoraFile file;
    private final String doraScale;
    private final Shape deltaShape;
    private final double scale;

    /**
     * A patch whose ΔW is built in {@code deltaShape} (and reshaped to the weight's, as torch's
     * reshape does) and scaled by {@code scale}: alpha / rank, or 1 where the file gives no alpha
     * (or the adapter ignores it).
     */
    DeltaPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, Shape deltaShape,
            double scale) {
        this.stem = stem;
        this.target = target;
        this.sourceKeys = Set.copyOf(sourceKeys);
        this.file = file;
        this.doraScale = file.doraScale(stem);
        this.deltaShape = deltaShape;
        this.scale = scale;
    }

    /** ΔW before scaling, in its own shape. */
    abstract Tensor delta(LoraFile file);

    /** alpha / rank, or 1 where the file gives no alpha. */
    static double alphaOverRank(OptionalDouble alpha, int rank) {
        return alpha.isPresent() ? alpha.getAsDouble() / rank : 1.0;
    }

    final String stem() {
        return stem;
    }

    @Override
    public final LoraKeyMap.Target target() {
        return target;
    }

    @Override
    public final Set<String> sourceKeys() {
        return sourceKeys;
    }

    @Override
    public final void checkFits(Shape weight) {
        if (deltaShape.numel() != weight.numel()) {
            throw new IllegalArgumentException(stem + ": the patch's shape " + deltaShape + " (" + deltaShape.numel()
                    + " values) does not fit " + target.describe() + " of shape " + weight + " (" + weight.numel() + " values)");
        }
        if (doraScale != null) {
            DoraDecomposition.checkFits(stem, file.shape(doraScale), weight);
        }
    }

    @Override
    public final Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        Ops ops = weight.ops();
        Tensor delta = delta(file).reshape(weight.shape().dims());
        if (doraScale != null) {
            return DoraDecomposition.apply(file.load(doraScale), weight, delta, scale, strength);
        }
        return ops.add(weight, ops.scale(delta, (float) (strength * scale)));
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + stem + " -> " + target.describe() + "]";
    }
}
