package io.stipple.tensor.testing;

import io.stipple.tensor.Shape;

/** The shapes each operation accepts; every refusal names the shapes it was given and what it expected. */
final class ReferenceChecks {
    private ReferenceChecks() {}

    static void matmul(Shape a, Shape b) {
        boolean ok = a.rank() >= 2 && a.rank() == b.rank() && a.dim(-1) == b.dim(-2)
                && a.with(-1, 0).with(-2, 0).equals(b.with(-1, 0).with(-2, 0));
        if (!ok) {
            throw new IllegalArgumentException("matmul of " + a + " and " + b
                    + " (expected: (..., m, k) and (..., k, n) with the same leading dimensions)");
        }
    }

    static void linear(Shape x, Shape weight, Shape bias) {
        if (x.rank() < 1 || weight.rank() != 2 || x.dim(-1) != weight.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x + " does not fit weight " + weight
                    + " (expected: (..., in) and (out, in))");
        }
        if (bias != null && !bias.equals(Shape.of(weight.dim(0)))) {
            throw new IllegalArgumentException("linear: bias " + bias + " does not fit weight " + weight + " (expected: (out))");
        }
    }

    /** The output shape. */
    static Shape conv2d(Shape x, Shape weight, Shape bias, int stride, int padding) {
        if (x.rank() != 4 || weight.rank() != 4 || x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x + " does not fit weight " + weight
                    + " (expected: (n, c, h, w) and (out, c, kh, kw))");
        }
        if (bias != null && !bias.equals(Shape.of(weight.dim(0)))) {
            throw new IllegalArgumentException("conv2d: bias " + bias + " does not fit weight " + weight + " (expected: (out))");
        }
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: stride " + stride + ", padding " + padding
                    + " (expected: stride at least 1, padding at least 0)");
        }
        int hout = Math.floorDiv(x.dim(2) + 2 * padding - weight.dim(2), stride) + 1;
        int wout = Math.floorDiv(x.dim(3) + 2 * padding - weight.dim(3), stride) + 1;
        if (hout < 1 || wout < 1) {
            throw new IllegalArgumentException("conv2d: input " + x + " padded by " + padding
                    + " is smaller than the kernel of weight " + weight);
        }
        return Shape.of(x.dim(0), weight.dim(0), hout, wout);
    }

    static void groupNorm(Shape x, int groups, Shape gamma, Shape beta) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm of " + x + " in " + groups
                    + " groups (expected: (n, c, ...) with c a multiple of the groups)");
        }
        affine("groupNorm", x, x.dim(1), gamma, beta);
    }

    static void layerNorm(Shape x, Shape gamma, Shape beta) {
        lastDimension("layerNorm", x);
        affine("layerNorm", x, x.dim(-1), gamma, beta);
    }

    private static void affine(String op, Shape x, int channels, Shape gamma, Shape beta) {
        for (Shape s : new Shape[] {gamma, beta}) {
            if (s != null && !s.equals(Shape.of(channels))) {
                throw new IllegalArgumentException(op + ": affine parameter " + s + " does not fit input " + x
                        + " (expected: [" + channels + "])");
            }
        }
    }

    static void lastDimension(String op, Shape x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException(op + " of " + x + " (expected: rank at least 1)");
        }
    }

    static void attention(Shape q, Shape k, Shape v, int heads) {
        boolean ok = q.rank() == 3 && k.rank() == 3 && k.equals(v) && heads >= 1 && q.dim(2) % heads == 0
                && k.dim(0) == q.dim(0) && k.dim(2) == q.dim(2);
        if (!ok) {
            throw new IllegalArgumentException("attention: q " + q + ", k " + k + ", v " + v + ", heads " + heads
                    + " (expected: (b, nq, heads·d), (b, nk, heads·d) twice)");
        }
    }
}
