package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * LoKr's ΔW = kron(w1, w2), w1 = lokr_w1 or lokr_w1_a @ lokr_w1_b, w2 = lokr_w2 or lokr_w2_a @ lokr_w2_b.
 * A matrix w1 beside a kernel w2 gains two trailing unit dimensions. As in ComfyUI, alpha scales by
 * alpha / dim only where a factor is low-rank (dim: the first dimension of w2_b, else of w1_b); with
 * both factors whole, alpha is ignored.
 */
final class KroneckerPatch extends DeltaPatch {
    private final String w1;
    private final String w2;
    private final String w1a;
    private final String w1b;
    private final String w2a;
    private final String w2b;

    KroneckerPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, String w1, String w2,
            String w1a, String w1b, String w2a, String w2b, OptionalDouble alpha) {
        Integer dim = null;
        Shape s1;
        if (w1 == null) {
            dim = file.shape(w1b).dim(0);
            s1 = Factors.mm(stem + " (lokr_w1_a @ lokr_w1_b)", file.shape(w1a), file.shape(w1b));
        } else {
            s1 = file.shape(w1);
        }
        Shape s2;
        if (w2 == null) {
            dim = file.shape(w2b).dim(0);
            s2 = Factors.mm(stem + " (lokr_w2_a @ lokr_w2_b)", file.shape(w2a), file.shape(w2b));
        } else {
            s2 = file.shape(w2);
        }
        if (s2.rank() == 4) {
            if (s1.rank() != 2) {
                throw new IllegalArgumentException(stem + ": lokr_w1 of shape " + s1 + " beside a kernel lokr_w2 " + s2
                        + " (expected: a matrix)");
            }
            s1 = Factors.unsqueeze22(s1);
        }
        super(stem, target, sourceKeys, file, Factors.kronShape(s1, s2), dim == null ? 1.0 : alphaOverRank(alpha, dim));
        this.w1 = w1;
        this.w2 = w2;
        this.w1a = w1a;
        this.w1b = w1b;
        this.w2a = w2a;
        this.w2b = w2b;
    }

    @Override
    Tensor delta(LoraFile file) {
        Ops ops = file.ops();
        Tensor a = w1 != null ? file.load(w1) : Factors.mm(ops, file.load(w1a), file.load(w1b));
        Tensor b = w2 != null ? file.load(w2) : Factors.mm(ops, file.load(w2a), file.load(w2b));
        if (b.rank() == 4) {
            a = a.reshape(Factors.unsqueeze22(a.shape()).dims());
        }
        return Factors.kron(ops, a, b);
    }
}
