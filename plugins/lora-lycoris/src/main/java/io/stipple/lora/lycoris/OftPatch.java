package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Set;

/**
 * OFT (ComfyUI's weight_adapter/oft.py): the weight's rows, in n blocks of b, are turned by the
 * block rotations R_k of {@code oft_blocks} (n, b, b). ComfyUI computes
 * ΔW_k = (s·R_k − s·I)ᵀ W_k (einsum "k n m, k n ... -> k m ...") and adds s·ΔW, so the strength s
 * enters twice: W' = W + s²(R − I)ᵀW. Followed as it is, to give ComfyUI's weights.
 */
final class OftPatch implements WeightPatch {
    private final String stem;
    private final LoraKeyMap.Target target;
    private final Set<String> sourceKeys;
    private final LoraFile file;
    private final String blocks;
    private final double alpha;
    private final int count;
    private final int size;

    /** {@code alpha}: the constraint on Q's norm, 0 where the file gives none. */
    OftPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, String blocks, double alpha) {
        Shape s = file.shape(blocks);
        if (s.rank() != 3 || s.dim(1) != s.dim(2)) {
            throw new IllegalArgumentException(blocks + ": shape " + s + " (expected: (blocks, b, b))");
        }
        this.stem = stem;
        this.target = target;
        this.sourceKeys = Set.copyOf(sourceKeys);
        this.file = file;
        this.blocks = blocks;
        this.alpha = alpha;
        this.count = s.dim(0);
        this.size = s.dim(1);
    }

    @Override
    public LoraKeyMap.Target target() {
        return target;
    }

    @Override
    public Set<String> sourceKeys() {
        return sourceKeys;
    }

    @Override
    public void checkFits(Shape weight) {
        if (weight.rank() < 2 || weight.dim(0) != count * size) {
            throw new IllegalArgumentException(stem + ": " + count + " OFT blocks of " + size + " rows do not fit " + target.describe()
                    + " of shape " + weight + " (expected: " + count * size + " rows)");
        }
    }

    @Override
    public Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        Ops ops = weight.ops();
        float[] r = CayleyRotations.of(ops.toArray(file.load(blocks)), count, size, alpha);
        float s = (float) strength;
        // (r·s − s·I)ᵀ per block, each term rounded to float32 as torch computes it
        float[] at = new float[r.length];
        int bb = size * size;
        for (int k = 0; k < count; k++) {
            for (int n = 0; n < size; n++) {
                for (int m = 0; m < size; m++) {
                    at[k * bb + m * size + n] = r[k * bb + n * size + m] * s - (n == m ? s : 0f);
                }
            }
        }
        int rest = (int) (weight.numel() / weight.dim(0));
        Tensor diff = ops.matmul(ops.fromArray(at, Shape.of(count, size, size)), weight.reshape(count, size, rest));
        return ops.add(weight, ops.scale(diff.reshape(weight.shape().dims()), s));
    }

    @Override
    public String toString() {
        return "OftPatch[" + stem + " -> " + target.describe() + "]";
    }
}
