package io.stipple.tensor.rules;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.Arrays;

/**
 * The shapes and arguments every backend accepts, checked the same way before any kernel runs;
 * every refusal says what it was given and what it expected.
 */
public final class ShapeRules {
    private ShapeRules() {}

    /** {@code values} floats for a tensor of {@code shape}. */
    public static void values(int values, Shape shape) {
        if (values != shape.numel()) {
            throw new IllegalArgumentException("fromArray: " + values + " values for shape " + shape + " (expected: " + shape.numel() + ")");
        }
    }

    /** {@code bytes} bytes holding a {@code dtype} tensor of {@code shape}. */
    public static void bytes(long bytes, io.stipple.tensor.DType dtype, Shape shape) {
        long expected = shape.numel() * dtype.byteSize();
        if (bytes != expected) {
            throw new IllegalArgumentException(dtype + " " + shape + " needs " + expected + " bytes, got " + bytes);
        }
    }

    /** Elementwise operands of one shape. */
    public static void sameShape(String op, Shape a, Shape b) {
        if (!a.equals(b)) {
            throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " differ");
        }
    }

    /** The shape of {@code parts} concatenated along {@code axis}: equal but along it. */
    public static Shape concat(int axis, Shape[] parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat of nothing");
        }
        Shape first = parts[0];
        int ax = first.normalize(axis);
        int total = 0;
        for (Shape s : parts) {
            if (s.rank() != first.rank() || !s.with(ax, 0).equals(first.with(ax, 0))) {
                throw new IllegalArgumentException("concat along " + ax + ": " + s + " does not match " + first);
            }
            total += s.dim(ax);
        }
        return first.with(ax, total);
    }

    /** The shape of {@code length} entries of {@code axis} from {@code start}. */
    public static Shape narrow(Shape s, int axis, int start, int length) {
        int ax = s.normalize(axis);
        if (start < 0 || length < 0 || start + length > s.dim(ax)) {
            throw new IllegalArgumentException("narrow(" + ax + ", " + start + ", " + length + ") out of range for " + s);
        }
        return s.with(ax, length);
    }

    /** A (vocab, dim) table and ids inside the vocabulary. */
    public static void embedding(Shape table, int[] ids) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException("embedding table " + table + " (expected: (vocab, dim))");
        }
        for (int id : ids) {
            if (id < 0 || id >= table.dim(0)) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + table.dim(0));
            }
        }
    }

    /** The shape GEGLU gives: half the (even) last dimension. */
    public static Shape geglu(Shape x) {
        if (x.dim(-1) % 2 != 0) {
            throw new IllegalArgumentException("geglu needs an even last dimension, got " + x);
        }
        return x.with(-1, x.dim(-1) / 2);
    }

    /** The shape of {@code s} with its last two dimensions resized to (height, width). */
    public static Shape resize(Shape s, int height, int width) {
        if (s.rank() < 2 || height < 0 || width < 0) {
            throw new IllegalArgumentException("upsampleNearest of " + s + " to " + height + "x" + width
                    + " (expected: rank at least 2 and a size of at least 0)");
        }
        return s.with(-2, height).with(-1, width);
    }

    public static void timestepEmbedding(int dim) {
        if (dim < 0) {
            throw new IllegalArgumentException("timestepEmbedding of width " + dim + " (expected: at least 0)");
        }
    }

    /** {@code order} with negative axes counted from the end (as torch counts them), each axis exactly once. */
    /** z (n, tokens, width), empty (1, tokens, width), one weight per token of z. */
    public static void weightTokens(Shape z, Shape empty, int weights) {
        if (z.rank() != 3 || !empty.equals(z.with(0, 1)) || weights != (long) z.dim(0) * z.dim(1)) {
            throw new IllegalArgumentException("weightTokens of " + z + " toward " + empty + " with " + weights
                    + " weights (expected: z (n, tokens, width), empty (1, tokens, width), n·tokens weights)");
        }
    }

    /** Tiles (1, c, th, tw) of one c, each inside the (height, width) canvas at its (top, left); feather at least 1. */
    public static void blendTiles(Shape[] tiles, int[] tops, int[] lefts, int height, int width, int feather) {
        if (tiles.length == 0 || tops.length != tiles.length || lefts.length != tiles.length || feather < 1) {
            throw new IllegalArgumentException("blendTiles of " + tiles.length + " tiles at " + tops.length + " tops and "
                    + lefts.length + " lefts, feather " + feather + " (expected: at least one tile, a corner each, feather >= 1)");
        }
        for (int i = 0; i < tiles.length; i++) {
            Shape t = tiles[i];
            boolean ok = t.rank() == 4 && t.dim(0) == 1 && t.dim(1) == tiles[0].dim(1) && tops[i] >= 0 && lefts[i] >= 0
                    && tops[i] + t.dim(2) <= height && lefts[i] + t.dim(3) <= width;
            if (!ok) {
                throw new IllegalArgumentException("blendTiles: tile " + i + " " + t + " at (" + tops[i] + ", " + lefts[i]
                        + ") (expected: (1, " + tiles[0].dim(1) + ", th, tw) inside " + height + "x" + width + ")");
            }
        }
    }

    public static int[] permutation(Shape s, int[] order) {
        int[] axes = new int[order.length];
        boolean[] seen = new boolean[s.rank()];
        boolean ok = order.length == s.rank();
        for (int i = 0; ok && i < order.length; i++) {
            axes[i] = order[i] < 0 ? order[i] + s.rank() : order[i];
            ok = axes[i] >= 0 && axes[i] < s.rank() && !seen[axes[i]];
            if (ok) {
                seen[axes[i]] = true;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("permute " + Arrays.toString(order) + " of " + s
                    + " (expected: each axis of " + s.rank() + " once)");
        }
        return axes;
    }

    public static void pad2d(Shape s, int left, int right, int top, int bottom) {
        if (s.rank() < 2 || left < 0 || right < 0 || top < 0 || bottom < 0) {
            throw new IllegalArgumentException("pad2d of " + s + " by (left " + left + ", right " + right + ", top " + top
                    + ", bottom " + bottom + ") (expected: rank at least 2, padding not negative)");
        }
    }

    /** Equal leading dimensions, not merely as many matrices: torch refuses (2, 3, ...) · (3, 2, ...). */
    public static void matmul(Shape a, Shape b) {
        if (a.rank() < 2 || a.rank() != b.rank() || b.dim(-2) != a.dim(-1)
                || !a.with(-1, 0).with(-2, 0).equals(b.with(-1, 0).with(-2, 0))) {
            throw new IllegalArgumentException("matmul of " + a + " and " + b
                    + " (expected: (..., m, k) and (..., k, n) with the same leading dimensions)");
        }
    }

    public static void linear(Shape x, Shape weight, Tensor bias) {
        if (x.rank() < 1 || weight.rank() != 2 || weight.dim(1) != x.dim(-1)) {
            throw new IllegalArgumentException("linear: input " + x + " does not fit weight " + weight
                    + " (expected: (..., in) and (out, in))");
        }
        perChannel("linear", "bias", bias, weight.dim(0), "weight", weight);
    }

    /** The output shape (n, out, hout, wout). */
    public static Shape conv2d(Shape x, Shape weight, Tensor bias, int stride, int padding) {
        if (x.rank() != 4 || weight.rank() != 4 || weight.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x + " does not fit weight " + weight
                    + " (expected: (n, c, h, w) and (out, c, kh, kw))");
        }
        perChannel("conv2d", "bias", bias, weight.dim(0), "weight", weight);
        if (stride < 1 || padding < 0) {
            throw new IllegalArgumentException("conv2d: stride " + stride + ", padding " + padding
                    + " (expected: stride at least 1, padding at least 0)");
        }
        // floor, not truncation: a kernel one pixel too large must not give one output row at stride 2
        int hout = Math.floorDiv(x.dim(2) + 2 * padding - weight.dim(2), stride) + 1;
        int wout = Math.floorDiv(x.dim(3) + 2 * padding - weight.dim(3), stride) + 1;
        if (hout < 1 || wout < 1) {
            throw new IllegalArgumentException("conv2d: input " + x + " padded by " + padding
                    + " is smaller than the kernel of weight " + weight);
        }
        return Shape.of(x.dim(0), weight.dim(0), hout, wout);
    }

    public static void groupNorm(Shape x, int groups) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0) {
            throw new IllegalArgumentException("groupNorm of " + x + " in " + groups
                    + " groups (expected: (n, c, ...) with c a multiple of the groups)");
        }
    }

    public static void attention(Shape q, Shape k, Shape v, int heads) {
        if (q.rank() != 3 || k.rank() != 3 || !k.equals(v) || heads < 1 || q.dim(2) % heads != 0
                || k.dim(2) != q.dim(2) || k.dim(0) != q.dim(0)) {
            throw new IllegalArgumentException("attention: q " + q + ", k " + k + ", v " + v + ", heads " + heads
                    + " (expected: (b, nq, heads·d), (b, nk, heads·d) twice)");
        }
    }

    /** A bias, gamma or beta has one entry per channel: a longer one would be misread without a word. */
    public static void perChannel(String op, String name, Tensor param, int channels, String of, Shape shape) {
        if (param != null && !param.shape().equals(Shape.of(channels))) {
            throw new IllegalArgumentException(op + ": " + name + " " + param.shape() + " does not fit " + of + " " + shape
                    + " (expected: [" + channels + "])");
        }
    }
}
