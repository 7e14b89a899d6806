package io.stipple.tensor.cuda.ops;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cuda.device.DeviceBuffer;
import io.stipple.tensor.cuda.device.Kernel;
import io.stipple.tensor.cuda.device.KernelArg;
import io.stipple.tensor.rules.ShapeRules;

/**
 * CudaOps' layout operations, each one {@code strided_copy} walk per input ({@link StridedBox}):
 * concat (a copy per part into its place in the whole), narrow (read from the start along the axis),
 * permute (read at permuted strides) and pad2d (into the interior of zeros).
 */
final class StridedLayout {
    private final CudaOps ops;

    StridedLayout(CudaOps ops) {
        this.ops = ops;
    }

    /** {@code box} from {@code from} (starting at element inOffset) to {@code to} (at outOffset). */
    private void copy(DeviceBuffer from, DeviceBuffer to, StridedBox box, long inOffset, long outOffset) {
        ops.stream(Kernel.STRIDED_COPY, box.count(), CudaOps.arg(from), CudaOps.arg(to), new KernelArg.Ints(box.meta()), CudaOps.arg(inOffset),
                CudaOps.arg(outOffset), CudaOps.arg(box.count()));
    }

    Tensor concat(int axis, Tensor... parts) {
        Shape shape = ShapeRules.concat(axis, java.util.Arrays.stream(parts).map(Tensor::shape).toArray(Shape[]::new));
        int ax = shape.normalize(axis);
        Tensor r = ops.newTensor(shape);
        int[] outStrides = StridedBox.contiguous(shape);
        try (Operands in = new Operands(ops)) {
            long offset = 0;
            for (Tensor p : parts) {
                copy(in.f32(p), ops.out(r), new StridedBox(p.shape().dims(), StridedBox.contiguous(p.shape()), outStrides), 0, offset);
                offset += (long) p.dim(ax) * outStrides[ax];
            }
        }
        return r;
    }

    Tensor narrow(Tensor a, int axis, int start, int length) {
        int ax = a.shape().normalize(axis);
        Shape shape = ShapeRules.narrow(a.shape(), axis, start, length);
        Tensor r = ops.newTensor(shape);
        int[] inStrides = StridedBox.contiguous(a.shape());
        try (Operands in = new Operands(ops)) {
            copy(in.f32(a), ops.out(r), new StridedBox(shape.dims(), inStrides, StridedBox.contiguous(shape)), (long) start * inStrides[ax], 0);
        }
        return r;
    }

    Tensor permute(Tensor a, int... order) {
        Shape s = a.shape();
        int[] axes = ShapeRules.permutation(s, order);
        int[] dims = new int[axes.length];
        int[] strides = StridedBox.contiguous(s);
        int[] inStrides = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            dims[i] = s.dim(axes[i]);
            inStrides[i] = strides[axes[i]];
        }
        Shape shape = Shape.of(dims);
        Tensor r = ops.newTensor(shape);
        try (Operands in = new Operands(ops)) {
            copy(in.f32(a), ops.out(r), new StridedBox(dims, inStrides, StridedBox.contiguous(shape)), 0, 0);
        }
        return r;
    }

    Tensor pad2d(Tensor a, int left, int right, int top, int bottom) {
        Shape s = a.shape();
        ShapeRules.pad2d(s, left, right, top, bottom);
        Shape shape = s.with(-2, s.dim(-2) + top + bottom).with(-1, s.dim(-1) + left + right);
        Tensor r = ops.zeros(shape);
        int[] outStrides = StridedBox.contiguous(shape);
        try (Operands in = new Operands(ops)) {
            long interior = (long) top * outStrides[s.rank() - 2] + left;
            copy(in.f32(a), ops.out(r), new StridedBox(s.dims(), StridedBox.contiguous(s), outStrides), 0, interior);
        }
        return r;
    }
}
