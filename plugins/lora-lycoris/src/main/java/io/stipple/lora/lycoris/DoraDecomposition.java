package io.stipple.lora.lycoris;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.UnaryOp;

/**
 * DoRA's weight decomposition as ComfyUI computes it (weight_adapter/base.py weight_decompose):
 * W_c = W + scale·ΔW; its norm is taken per output row of the <em>original</em> W when
 * {@code dora_scale} has one entry per output (LyCORIS' wd_on_output), otherwise per input column of
 * W_c; W_c is multiplied by dora_scale / (norm + eps). Strength 1 gives W_c; any other strength
 * W + strength·(W_c − W), so strength 0 is the plain weight.
 */
final class DoraDecomposition {
    /** torch.finfo(torch.float32).eps. */
    private static final float EPS = Math.ulp(1f);

    private DoraDecomposition() {}

    /** dora_scale / norm must broadcast, and its result must multiply the weight in place (torch's rules). */
    static void checkFits(String stem, Shape doraScale, Shape weight) {
        if (weight.rank() < 2) {
            throw new IllegalArgumentException(stem + ": dora_scale given for a weight of shape " + weight
                    + " (expected: a matrix or convolution kernel)");
        }
        Shape norm = normShape(doraScale, weight);
        Shape ratio = Broadcast.of(doraScale, norm);
        if (ratio == null || !Broadcast.fitsInPlace(ratio, weight)) {
            throw new IllegalArgumentException(stem + ": dora_scale of shape " + doraScale + " does not fit the weight's shape "
                    + weight + " (expected " + norm + ")");
        }
    }

    static Tensor apply(Tensor doraScale, Tensor weight, Tensor delta, double scale, double strength) {
        Ops ops = weight.ops();
        Tensor calc = ops.add(weight, ops.scale(delta, (float) scale));
        boolean outputAxis = outputAxis(doraScale.shape(), weight.shape());
        Tensor norm;
        if (outputAxis) {
            // ComfyUI normalises the original weight's rows here, not W + ΔW's
            norm = rowNorms(ops, weight).reshape(normShape(doraScale.shape(), weight.shape()).dims());
        } else {
            int[] order = swap01(weight.rank());
            norm = rowNorms(ops, ops.permute(calc, order)).reshape(normShape(doraScale.shape(), weight.shape()).dims());
        }
        norm = ops.addScalar(norm, EPS);
        calc = ops.mul(calc, ops.div(doraScale, norm));
        if (strength != 1.0) {
            calc = ops.sub(calc, weight);
            return ops.add(weight, ops.scale(calc, (float) strength));
        }
        return calc;
    }

    private static boolean outputAxis(Shape doraScale, Shape weight) {
        return doraScale.rank() > 0 && doraScale.dim(0) == weight.dim(0);
    }

    /** [out, 1, ...] on the output axis, [1, in, 1, ...] on the input axis. */
    private static Shape normShape(Shape doraScale, Shape weight) {
        int[] dims = new int[weight.rank()];
        java.util.Arrays.fill(dims, 1);
        if (outputAxis(doraScale, weight)) {
            dims[0] = weight.dim(0);
        } else {
            dims[1] = weight.dim(1);
        }
        return Shape.of(dims);
    }

    /** The Euclidean norm of each row of {@code m} flattened to (rows, rest): (rows, 1). */
    private static Tensor rowNorms(Ops ops, Tensor m) {
        int rows = m.dim(0);
        int cols = (int) (m.numel() / rows);
        Tensor squares = ops.unary(m.reshape(rows, cols), UnaryOp.SQUARE);
        Tensor sums = ops.matmul(squares, ops.full(Shape.of(cols, 1), 1f));
        return ops.unary(sums, UnaryOp.SQRT);
    }

    private static int[] swap01(int rank) {
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        order[0] = 1;
        order[1] = 0;
        return order;
    }
}
