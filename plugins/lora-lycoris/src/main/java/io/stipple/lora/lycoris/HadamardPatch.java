package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * LoHa's ΔW = (w1_a @ w1_b) ⊙ (w2_a @ w2_b), or with Tucker cores
 * einsum(t1, w1_b, w1_a) ⊙ einsum(t2, w2_b, w2_a); scaled by alpha / rank (rank: w1_b's first dimension).
 */
final class HadamardPatch extends DeltaPatch {
    private final String w1a;
    private final String w1b;
    private final String w2a;
    private final String w2b;
    private final String t1;
    private final String t2;

    HadamardPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, String w1a, String w1b,
            String w2a, String w2b, String t1, String t2, OptionalDouble alpha) {
        Shape m1;
        Shape m2;
        if (t1 != null) {
            m1 = Factors.tuckerShape(stem + " (hada_t1)", file.shape(t1), file.shape(w1b), file.shape(w1a));
            m2 = Factors.tuckerShape(stem + " (hada_t2)", file.shape(t2), file.shape(w2b), file.shape(w2a));
        } else {
            m1 = Factors.mm(stem + " (hada_w1_a @ hada_w1_b)", file.shape(w1a), file.shape(w1b));
            m2 = Factors.mm(stem + " (hada_w2_a @ hada_w2_b)", file.shape(w2a), file.shape(w2b));
        }
        if (!m1.equals(m2)) {
            throw new IllegalArgumentException(stem + ": the two LoHa products have shapes " + m1 + " and " + m2 + " (expected: equal)");
        }
        super(stem, target, sourceKeys, file, m1, alphaOverRank(alpha, file.shape(w1b).dim(0)));
        this.w1a = w1a;
        this.w1b = w1b;
        this.w2a = w2a;
        this.w2b = w2b;
        this.t1 = t1;
        this.t2 = t2;
    }

    @Override
    Tensor delta(LoraFile file) {
        Ops ops = file.ops();
        Tensor m1;
        Tensor m2;
        if (t1 != null) {
            m1 = Factors.tucker(ops, file.load(t1), file.load(w1b), file.load(w1a));
            m2 = Factors.tucker(ops, file.load(t2), file.load(w2b), file.load(w2a));
        } else {
            m1 = Factors.mm(ops, file.load(w1a), file.load(w1b));
            m2 = Factors.mm(ops, file.load(w2a), file.load(w2b));
        }
        return ops.mul(m1, m2);
    }
}
