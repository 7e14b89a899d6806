package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * ΔW = up.flatten(1) @ down.flatten(1), scaled by alpha / rank (rank: down's first dimension).
 * LoCon convolutions: down (r, in, kh, kw), up (out, r, 1, 1). With a Tucker core mid (r, r, kh, kw)
 * and a 1×1 down, down becomes (mid ×₂ down) first, as ComfyUI's calculate_weight rebuilds it.
 */
final class LowRankPatch extends DeltaPatch {
    private final String up;
    private final String down;
    private final String mid;
    private final Shape downShape;

    LowRankPatch(String stem, LoraKeyMap.Target target, Set<String> sourceKeys, LoraFile file, String up, String down,
            String mid, OptionalDouble alpha) {
        Shape upShape = file.shape(up);
        Shape downShape = file.shape(down);
        if (downShape.rank() < 2 || upShape.rank() < 2) {
            throw new IllegalArgumentException(stem + ": up " + upShape + " and down " + downShape + " (expected: matrices or kernels)");
        }
        Shape mat2 = mid == null ? Factors.flatten1(downShape) : Factors.flatten1(midRebuiltShape(stem, downShape, file.shape(mid)));
        super(stem, target, sourceKeys, file, Factors.mm(stem + " (up @ down)", Factors.flatten1(upShape), mat2),
                alphaOverRank(alpha, downShape.dim(0)));
        this.up = up;
        this.down = down;
        this.mid = mid;
        this.downShape = downShape;
    }

    /** down (r, in, ...) and mid (m0, m1, kh, kw) -> (r, in, kh, kw), or an exception. */
    private static Shape midRebuiltShape(String stem, Shape down, Shape mid) {
        if (mid.rank() < 3) {
            throw new IllegalArgumentException(stem + ": lora_mid of shape " + mid + " (expected: a kernel (r, r, kh, kw))");
        }
        Shape a = Factors.flatten1(Factors.swap01(down));
        Shape b = Factors.flatten1(Factors.swap01(mid));
        Factors.mm(stem + " (down with lora_mid)", a, b);
        if (mid.dim(0) != down.dim(0)) {
            throw new IllegalArgumentException(stem + ": lora_mid " + mid + " does not fit lora_down " + down);
        }
        int[] d = new int[mid.rank()];
        d[0] = down.dim(0);
        d[1] = down.dim(1);
        for (int i = 2; i < mid.rank(); i++) {
            d[i] = mid.dim(i);
        }
        return Shape.of(d);
    }

    @Override
    Tensor delta(LoraFile file) {
        Ops ops = file.ops();
        Tensor mat2 = file.load(down);
        if (mid != null) {
            Tensor core = file.load(mid);
            Shape rebuilt = midRebuiltShape(stem(), downShape, core.shape());
            // (down^T) @ (mid^T), back to (in, r, kh, kw), transposed to (r, in, kh, kw)
            Tensor product = Factors.mm(ops, Factors.flatten1(Factors.swap01(ops, mat2)), Factors.flatten1(Factors.swap01(ops, core)));
            mat2 = Factors.swap01(ops, product.reshape(Factors.swap01(rebuilt).dims()));
        }
        return Factors.mm(ops, Factors.flatten1(file.load(up)), Factors.flatten1(mat2));
    }
}
