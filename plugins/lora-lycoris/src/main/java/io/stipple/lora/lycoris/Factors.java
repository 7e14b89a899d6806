package io.stipple.lora.lycoris;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;

/**
 * The tensor algebra of the adapters, on the backend's {@link Ops}, with torch's semantics: the
 * flattening, transposes, matrix products, Tucker rebuilds (einsum) and Kronecker products that
 * ComfyUI's weight adapters use. Shape helpers work on declared shapes, so that a patch can be
 * checked before any tensor is read.
 */
final class Factors {
    private Factors() {}

    /** torch's {@code t.flatten(start_dim=1)}. */
    static Tensor flatten1(Tensor t) {
        return t.reshape(flatten1(t.shape()).dims());
    }

    static Shape flatten1(Shape s) {
        if (s.rank() < 1) {
            throw new IllegalArgumentException("cannot flatten a scalar from dimension 1");
        }
        return Shape.of(s.dim(0), (int) (s.numel() / Math.max(1, s.dim(0))));
    }

    /** torch's {@code t.transpose(0, 1)}, made contiguous. */
    static Tensor swap01(Ops ops, Tensor t) {
        int[] order = new int[t.rank()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        order[0] = 1;
        order[1] = 0;
        return ops.permute(t, order);
    }

    static Shape swap01(Shape s) {
        int[] d = s.dims();
        int t = d[0];
        d[0] = d[1];
        d[1] = t;
        return Shape.of(d);
    }

    /** torch.mm of two matrices. */
    static Tensor mm(Ops ops, Tensor a, Tensor b) {
        return ops.matmul(a, b);
    }

    /** The shape of mm(a, b), or an exception naming {@code what} and both shapes. */
    static Shape mm(String what, Shape a, Shape b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0)) {
            throw new IllegalArgumentException(what + ": " + a + " and " + b + " do not multiply as matrices");
        }
        return Shape.of(a.dim(0), b.dim(1));
    }

    /**
     * {@code einsum("i j ..., j r, i p -> p r ...", t, wb, wa)}: the Tucker rebuild LyCORIS stores
     * convolutions' factors for (t (I, J, ...), wb (J, R), wa (I, P); the result (P, R, ...)).
     */
    static Tensor tucker(Ops ops, Tensor t, Tensor wb, Tensor wa) {
        Shape s = t.shape();
        int i = s.dim(0);
        int j = s.dim(1);
        int rest = (int) (s.numel() / ((long) i * j));
        int r = wb.dim(1);
        int p = wa.dim(1);
        // tmp[i, rest, r] = sum_j t[i, j, rest] · wb[j, r]
        int[] toLast = new int[s.rank()];
        toLast[0] = 0;
        for (int d = 2; d < s.rank(); d++) {
            toLast[d - 1] = d;
        }
        toLast[s.rank() - 1] = 1;
        Tensor tj = ops.permute(t, toLast).reshape(i * rest, j);
        Tensor tmp = ops.matmul(tj, wb).reshape(i, rest * r);
        // out[p, rest, r] = sum_i wa[i, p] · tmp[i, rest, r]
        Tensor out = ops.matmul(ops.permute(wa, 1, 0), tmp).reshape(p, rest, r);
        return ops.permute(out, 0, 2, 1).reshape(tuckerShape("tucker", s, wb.shape(), wa.shape()).dims());
    }

    static Shape tuckerShape(String what, Shape t, Shape wb, Shape wa) {
        if (t.rank() < 2 || wb.rank() != 2 || wa.rank() != 2 || t.dim(1) != wb.dim(0) || t.dim(0) != wa.dim(0)) {
            throw new IllegalArgumentException(what + ": core " + t + " with factors " + wb + " and " + wa
                    + " (expected: core (I, J, ...), (J, R), (I, P))");
        }
        int[] d = t.dims();
        d[0] = wa.dim(1);
        d[1] = wb.dim(1);
        return Shape.of(d);
    }

    /** torch.kron: the lower-rank operand gains leading 1s; result dims multiply. */
    static Tensor kron(Ops ops, Tensor a, Tensor b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] da = padded(a.shape(), rank);
        int[] db = padded(b.shape(), rank);
        int[] ia = new int[2 * rank];
        int[] ib = new int[2 * rank];
        for (int d = 0; d < rank; d++) {
            ia[2 * d] = da[d];
            ia[2 * d + 1] = 1;
            ib[2 * d] = 1;
            ib[2 * d + 1] = db[d];
        }
        // a[.., x, ..] · b[.., y, ..] lands at x·|b| + y: interleave the dimensions and broadcast
        Tensor product = ops.mul(a.reshape(ia), b.reshape(ib));
        return product.reshape(kronShape(a.shape(), b.shape()).dims());
    }

    static Shape kronShape(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] da = padded(a, rank);
        int[] db = padded(b, rank);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = da[d] * db[d];
        }
        return Shape.of(out);
    }

    /** t with two trailing dimensions of 1 (torch's {@code unsqueeze(2).unsqueeze(2)} of a matrix). */
    static Shape unsqueeze22(Shape s) {
        return Shape.of(s.dim(0), s.dim(1), 1, 1);
    }

    private static int[] padded(Shape s, int rank) {
        int[] out = new int[rank];
        java.util.Arrays.fill(out, 1);
        for (int d = 0; d < s.rank(); d++) {
            out[rank - s.rank() + d] = s.dim(d);
        }
        return out;
    }
}
