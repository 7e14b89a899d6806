package io.stipple.tensor.testing;

import io.stipple.tensor.Shape;
import java.util.Arrays;

/** The reference's element-moving operations: each output element found from its coordinates. */
final class ReferenceLayout {
    private ReferenceLayout() {}

    static Shape concatShape(int axis, Shape[] shapes) {
        Shape first = shapes[0];
        int ax = first.normalize(axis);
        int total = 0;
        for (Shape s : shapes) {
            if (s.rank() != first.rank() || !s.with(ax, 0).equals(first.with(ax, 0))) {
                throw new IllegalArgumentException("concat along " + ax + ": " + s + " does not match " + first
                        + " (expected: equal sizes except along the axis)");
            }
            total += s.dim(ax);
        }
        return first.with(ax, total);
    }

    static float[] concat(int axis, float[][] parts, Shape[] shapes, Shape out) {
        int[] dims = out.dims();
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Index.unravel(i, dims);
            int p = 0;
            while (idx[axis] >= shapes[p].dim(axis)) {
                idx[axis] -= shapes[p].dim(axis);
                p++;
            }
            r[i] = parts[p][Index.ravel(idx, shapes[p].dims())];
        }
        return r;
    }

    static Shape narrowShape(Shape s, int axis, int start, int length) {
        int ax = s.normalize(axis);
        if (start < 0 || length < 0 || (long) start + length > s.dim(ax)) {
            throw new IllegalArgumentException("narrow(" + axis + ", " + start + ", " + length + ") of " + s
                    + " (expected: start + length at most " + s.dim(ax) + ")");
        }
        return s.with(ax, length);
    }

    static float[] narrow(float[] a, Shape s, int axis, int start, Shape out) {
        int[] dims = out.dims();
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Index.unravel(i, dims);
            idx[axis] += start;
            r[i] = a[Index.ravel(idx, s.dims())];
        }
        return r;
    }

    /** {@code order} with negative axes counted from the end, if it is a permutation of the axes of s. */
    static int[] checkPermutation(Shape s, int[] order) {
        int[] axes = new int[order.length];
        boolean[] seen = new boolean[s.rank()];
        boolean ok = order.length == s.rank();
        for (int i = 0; ok && i < order.length; i++) {
            int a = order[i] < 0 ? order[i] + s.rank() : order[i];
            ok = a >= 0 && a < s.rank() && !seen[a];
            if (ok) {
                seen[a] = true;
                axes[i] = a;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("permute " + Arrays.toString(order) + " of " + s
                    + " (expected: each axis of " + s.rank() + " once)");
        }
        return axes;
    }

    /** out[i₀, i₁, ...] = a[j] with j[order[d]] = i[d]. */
    static float[] permute(float[] a, Shape s, int[] order, Shape out) {
        int[] dims = out.dims();
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Index.unravel(i, dims);
            int[] src = new int[idx.length];
            for (int d = 0; d < idx.length; d++) {
                src[order[d]] = idx[d];
            }
            r[i] = a[Index.ravel(src, s.dims())];
        }
        return r;
    }

    static float[] pad2d(float[] a, Shape s, Shape out, int left, int top) {
        int[] dims = out.dims();
        int rank = dims.length;
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Index.unravel(i, dims);
            idx[rank - 2] -= top;
            idx[rank - 1] -= left;
            boolean inside = idx[rank - 2] >= 0 && idx[rank - 2] < s.dim(-2) && idx[rank - 1] >= 0 && idx[rank - 1] < s.dim(-1);
            r[i] = inside ? a[Index.ravel(idx, s.dims())] : 0f;
        }
        return r;
    }

    /** out[..., y, x] = a[..., y / 2, x / 2]. */
    /** torch's nearest: the source index is floor(i · (in / out)) with the ratio as a float, clamped. */
    static float[] upsample(float[] a, Shape s, Shape out) {
        int[] dims = out.dims();
        int rank = dims.length;
        float sy = (float) s.dim(-2) / out.dim(-2);
        float sx = (float) s.dim(-1) / out.dim(-1);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) {
            int[] idx = Index.unravel(i, dims);
            idx[rank - 2] = Math.min((int) Math.floor(idx[rank - 2] * sy), s.dim(-2) - 1);
            idx[rank - 1] = Math.min((int) Math.floor(idx[rank - 1] * sx), s.dim(-1) - 1);
            r[i] = a[Index.ravel(idx, s.dims())];
        }
        return r;
    }
}
