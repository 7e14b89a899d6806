package io.stipple.tensor.cpu;

import io.stipple.tensor.Shape;

/** Kernels that move elements without arithmetic: concat, narrow, permute, pad, upsample. */
final class Layout {
    private Layout() {}

    static float[] concat(FloatPool pool, int axis, float[][] parts, Shape[] shapes, Shape out) {
        float[] r = pool.take(out.size());
        int outer = (int) out.product(0, axis);
        int inner = (int) out.product(axis + 1, out.rank());
        int outRow = out.dim(axis) * inner;
        int at = 0;
        for (int p = 0; p < parts.length; p++) {
            int rowLen = shapes[p].dim(axis) * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(parts[p], o * rowLen, r, o * outRow + at, rowLen);
            }
            at += rowLen;
        }
        return r;
    }

    static float[] narrow(FloatPool pool, float[] a, Shape s, int axis, int start, int length) {
        int outer = (int) s.product(0, axis);
        int inner = (int) s.product(axis + 1, s.rank());
        int srcRow = s.dim(axis) * inner;
        int dstRow = length * inner;
        float[] r = pool.take(outer * dstRow);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(a, o * srcRow + start * inner, r, o * dstRow, dstRow);
        }
        return r;
    }

    static float[] permute(FloatPool pool, float[] a, Shape s, int[] order) {
        int rank = s.rank();
        int[] srcStrides = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            srcStrides[i] = stride;
            stride *= s.dim(i);
        }
        int[] outDims = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = s.dim(order[i]);
            strides[i] = srcStrides[order[i]];
        }
        float[] r = pool.take(a.length);
        int inner = rank == 0 ? 1 : outDims[rank - 1];
        int innerStride = rank == 0 ? 0 : strides[rank - 1];
        int rows = inner == 0 ? 0 : r.length / inner;
        Parallel.forRange(rows, inner, (from, to) -> {
            for (int row = from; row < to; row++) {
                int rem = row;
                int src = 0;
                for (int d = rank - 2; d >= 0; d--) {
                    src += (rem % outDims[d]) * strides[d];
                    rem /= outDims[d];
                }
                int o = row * inner;
                for (int j = 0; j < inner; j++) {
                    r[o + j] = a[src + j * innerStride];
                }
            }
        });
        return r;
    }

    static float[] pad2d(FloatPool pool, float[] a, int planes, int h, int w, int left, int right, int top, int bottom) {
        int ho = h + top + bottom;
        int wo = w + left + right;
        float[] r = pool.takeZeroed(planes * ho * wo);
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(a, (p * h + y) * w, r, (p * ho + y + top) * wo + left, w);
            }
        }
        return r;
    }

    static float[] upsampleNearest2x(FloatPool pool, float[] a, int planes, int h, int w) {
        float[] r = pool.take(planes * 4 * h * w);
        int wo = 2 * w;
        Parallel.forRange(planes, 4L * h * w, (from, to) -> {
            for (int p = from; p < to; p++) {
                for (int y = 0; y < h; y++) {
                    int src = (p * h + y) * w;
                    int dst = (p * 2 * h + 2 * y) * wo;
                    for (int x = 0; x < w; x++) {
                        float v = a[src + x];
                        r[dst + 2 * x] = v;
                        r[dst + 2 * x + 1] = v;
                    }
                    System.arraycopy(r, dst, r, dst + wo, wo);
                }
            }
        });
        return r;
    }

    /** torch's nearest: source row floor(y · (h / height)) with the ratio in float32, clamped. */
    static float[] resizeNearest(FloatPool pool, float[] a, int planes, int h, int w, int height, int width) {
        float[] r = pool.takeZeroed(planes * height * width);
        if (h == 0 || w == 0) {
            return r;
        }
        float sy = (float) h / height;
        float sx = (float) w / width;
        int[] srcX = new int[width];
        for (int x = 0; x < width; x++) {
            srcX[x] = Math.min((int) Math.floor(x * sx), w - 1);
        }
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < height; y++) {
                int src = (p * h + Math.min((int) Math.floor(y * sy), h - 1)) * w;
                int dst = (p * height + y) * width;
                for (int x = 0; x < width; x++) {
                    r[dst + x] = a[src + srcX[x]];
                }
            }
        }
        return r;
    }
}
