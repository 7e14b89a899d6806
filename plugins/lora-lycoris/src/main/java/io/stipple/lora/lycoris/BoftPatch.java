package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Set;

/**
 * BOFT (ComfyUI's weight_adapter/boft.py): m butterfly stages, each a block-diagonal rotation of n
 * blocks of b rows ({@code oft_blocks} (m, n, b, b), Cayley rotations) applied to the weight's
 * rows after the stage's butterfly permutation and undone after it; then {@code .rescale} (if
 * any) multiplies the result. At strength s ≠ 1 each rotation is first blended to s·R + (1 − s)·I,
 * and W' = W + s·(result − W): the strength enters twice, as in ComfyUI.
 */
final class BoftPatch implements WeightPatch {
    private final String stem;
    private final LoraKeyMap.Target target;
    private final Set<String> sourceKeys;
    private final LoraFile file;
    private final String blocks;
    private final String rescale;
    private final double alpha;
    private final int stages;
    private final int count;
    private final int size;

    /** {@code rescale}: the key, or null; {@code alpha}: the constraint on Q's norm (0: none). */
    BoftPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, String blocks, String rescale,
            double alpha) {
        Shape s = file.shape(blocks);
        if (s.rank() != 4 || s.dim(2) != s.dim(3) || s.dim(2) % 2 != 0) {
            throw new IllegalArgumentException(blocks + ": shape " + s + " (expected: (stages, blocks, b, b), b even)");
        }
        this.stem = stem;
        this.target = target;
        this.sourceKeys = Set.copyOf(sourceKeys);
        this.file = file;
        this.blocks = blocks;
        this.rescale = rescale;
        this.alpha = alpha;
        this.stages = s.dim(0);
        this.count = s.dim(1);
        this.size = s.dim(2);
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
        int rows = count * size;
        // every stage's butterfly groups 2^(i+1) · b/2 rows
        boolean fits = weight.rank() >= 2 && weight.dim(0) == rows && rows % ((1L << stages) * (size / 2)) == 0;
        if (!fits) {
            throw new IllegalArgumentException(stem + ": " + stages + " BOFT stages of " + count + " blocks of " + size
                    + " rows do not fit " + target.describe() + " of shape " + weight + " (expected: " + rows + " rows)");
        }
        if (rescale != null && !Broadcast.fitsInPlace(file.shape(rescale), weight)) {
            throw new IllegalArgumentException(rescale + ": shape " + file.shape(rescale) + " does not multiply " + target.describe()
                    + " of shape " + weight);
        }
    }

    @Override
    public Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        Ops ops = weight.ops();
        float[] r = CayleyRotations.of(ops.toArray(file.load(blocks)), stages * count, size, alpha);
        float s = (float) strength;
        int rows = weight.dim(0);
        int rest = (int) (weight.numel() / rows);
        int bb = size * size;
        Tensor x = weight.reshape(rows, rest);
        for (int i = 0; i < stages; i++) {
            float[] stage = new float[count * bb];
            for (int e = 0; e < stage.length; e++) {
                float v = r[i * count * bb + e];
                if (strength != 1) {
                    // bi·s + (1 − s)·I, each term rounded to float32 as torch computes it
                    int row = (e % bb) / size;
                    int col = e % size;
                    v = v * s + (row == col ? (float) (1 - strength) : 0f);
                }
                stage[e] = v;
            }
            int k = (1 << i) * (size / 2);
            // rows (a, g, k) -> (a, k, g): the butterfly pairs rows k apart
            x = ops.permute(x.reshape(rows / (2 * k), 2, k, rest), 0, 2, 1, 3).reshape(count, size, rest);
            x = ops.matmul(ops.fromArray(stage, Shape.of(count, size, size)), x);
            x = ops.permute(x.reshape(rows / (2 * k), k, 2, rest), 0, 2, 1, 3).reshape(rows, rest);
        }
        x = x.reshape(weight.shape().dims());
        if (rescale != null) {
            x = ops.mul(x, file.load(rescale));
        }
        return ops.add(weight, ops.scale(ops.sub(x, weight), s));
    }

    @Override
    public String toString() {
        return "BoftPatch[" + stem + " -> " + target.describe() + "]";
    }
}
