package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * GLoRA (ComfyUI's weight_adapter/glora.py), whose ΔW depends on the weight it patches:
 * LyCORIS' layout a1 (in, r), a2 (r, in), b1 (out, r), b2 (r, in): ΔW = W·a1·a2 + b1·b2 (for a kernel
 * W, a1 and a2 act on its input dimension); the old layout a1 (r, in), a2 (in, r), b1 (r, in),
 * b2 (out, r): ΔW = W·a2·a1 + b2·b1. Where both layouts' shapes agree, ComfyUI takes the old one
 * unless the weight is square with a2's first dimension, and so does this patch. Scaled by
 * alpha / rank (1 without alpha), with DoRA's {@code dora_scale} where given.
 */
final class GloraPatch implements WeightPatch {
    private final String stem;
    private final LoraKeyMap.Target target;
    private final Set<String> sourceKeys;
    private final LoraFile file;
    private final String a1;
    private final String a2;
    private final String b1;
    private final String b2;
    private final OptionalDouble alpha;
    private final String doraScale;

    GloraPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, String a1, String a2, String b1,
            String b2, OptionalDouble alpha) {
        this.stem = stem;
        this.target = target;
        this.sourceKeys = Set.copyOf(sourceKeys);
        this.file = file;
        this.a1 = a1;
        this.a2 = a2;
        this.b1 = b1;
        this.b2 = b2;
        this.alpha = alpha;
        this.doraScale = file.doraScale(stem);
    }

    /** Which formula and rank ComfyUI picks for this weight. */
    private record Layout(boolean old, int rank) {}

    private Layout layout(Shape weight) {
        // ComfyUI compares the stored shapes' first two dimensions
        Shape s0 = file.shape(a1);
        Shape s1 = file.shape(a2);
        Shape s2 = file.shape(b1);
        Shape s3 = file.shape(b2);
        boolean old = s3.dim(1) == s2.dim(0) && s2.dim(0) == s0.dim(0) && s0.dim(0) == s1.dim(1);
        boolean current = s3.dim(0) == s2.dim(1) && s2.dim(1) == s0.dim(1) && s0.dim(1) == s1.dim(0);
        if (current && !(old && s1.dim(0) == weight.dim(0) && weight.dim(0) == weight.dim(1))) {
            return new Layout(false, s1.dim(0));
        }
        if (old) {
            return new Layout(true, s0.dim(0));
        }
        throw new IllegalArgumentException(stem + ": GLoRA factors a1 " + s0 + ", a2 " + s1 + ", b1 " + s2 + ", b2 " + s3
                + " are in neither layout (expected a1 (in, r), a2 (r, in), b1 (out, r), b2 (r, in))");
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
        if (weight.rank() < 2) {
            throw new IllegalArgumentException(stem + ": GLoRA for " + target.describe() + " of shape " + weight
                    + " (expected: a matrix or convolution kernel)");
        }
        Layout layout = layout(weight);
        Shape a1s = Factors.flatten1(file.shape(a1));
        Shape a2s = Factors.flatten1(file.shape(a2));
        Shape b1s = Factors.flatten1(file.shape(b1));
        Shape b2s = Factors.flatten1(file.shape(b2));
        Shape w = Factors.flatten1(weight);
        String what = stem + " (GLoRA for " + target.describe() + " of shape " + weight + ")";
        Shape scaled;
        Shape added;
        if (layout.old()) {
            scaled = Factors.mm(what, Factors.mm(what, w, a2s), a1s);
            added = Factors.mm(what, b2s, b1s);
        } else {
            int in = weight.dim(1);
            int rest = (int) (weight.numel() / ((long) weight.dim(0) * in));
            Shape t = Factors.mm(what, Factors.mm(what, Shape.of(weight.dim(0) * rest, in), a1s), a2s);
            scaled = Shape.of(weight.dim(0), t.dim(1) * rest);
            added = Factors.mm(what, b1s, b2s);
        }
        if (scaled.numel() != weight.numel() || added.numel() != weight.numel()) {
            throw new IllegalArgumentException(what + ": the GLoRA terms have " + scaled.numel() + " and " + added.numel()
                    + " values (expected " + weight.numel() + ")");
        }
        if (doraScale != null) {
            DoraDecomposition.checkFits(stem, file.shape(doraScale), weight);
        }
    }

    @Override
    public Tensor apply(Tensor weight, double strength) {
        checkFits(weight.shape());
        Ops ops = weight.ops();
        Layout layout = layout(weight.shape());
        Tensor fa1 = Factors.flatten1(file.load(a1));
        Tensor fa2 = Factors.flatten1(file.load(a2));
        Tensor fb1 = Factors.flatten1(file.load(b1));
        Tensor fb2 = Factors.flatten1(file.load(b2));
        Tensor delta;
        if (layout.old()) {
            Tensor scaled = ops.matmul(ops.matmul(Factors.flatten1(weight), fa2), fa1);
            delta = ops.add(ops.matmul(fb2, fb1), scaled).reshape(weight.shape().dims());
        } else {
            delta = ops.add(inputSide(ops, weight, fa1, fa2), ops.matmul(fb1, fb2).reshape(weight.shape().dims()));
        }
        double scale = alpha.isPresent() ? alpha.getAsDouble() / layout.rank() : 1.0;
        if (doraScale != null) {
            return DoraDecomposition.apply(file.load(doraScale), weight, delta, scale, strength);
        }
        return ops.add(weight, ops.scale(delta, (float) (strength * scale)));
    }

    /** einsum("o i ..., i j -> o j ...") with a1, then with a2: W's input dimension through a1·a2, reshaped to W's shape. */
    private static Tensor inputSide(Ops ops, Tensor w, Tensor a1, Tensor a2) {
        int rank = w.rank();
        int o = w.dim(0);
        int in = w.dim(1);
        int rest = (int) (w.numel() / ((long) o * in));
        int[] toLast = new int[rank];
        int[] back = new int[rank];
        toLast[0] = 0;
        for (int d = 2; d < rank; d++) {
            toLast[d - 1] = d;
        }
        toLast[rank - 1] = 1;
        Tensor moved = rank == 2 ? w : ops.permute(w, toLast);
        Tensor t = ops.matmul(ops.matmul(moved.reshape(o * rest, in), a1), a2);
        int out = t.dim(1);
        if (rank == 2) {
            return t.reshape(w.shape().dims());
        }
        int[] dims = new int[rank];
        dims[0] = o;
        for (int d = 2; d < rank; d++) {
            dims[d - 1] = w.dim(d);
        }
        dims[rank - 1] = out;
        back[0] = 0;
        back[1] = rank - 1;
        for (int d = 2; d < rank; d++) {
            back[d] = d - 1;
        }
        return ops.permute(t.reshape(dims), back).reshape(w.shape().dims());
    }

    @Override
    public String toString() {
        return "GloraPatch[" + stem + " -> " + target.describe() + "]";
    }
}
