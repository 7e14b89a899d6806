package io.stipple.format.ckpt;

import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of the index, checked against its storage: every element its offset, sizes and
 * strides reach lies inside the storage, and a strided view copies no more bytes than the storage
 * holds. {@link #bytes} hands out the storage's mapped bytes when the tensor is contiguous and
 * little-endian, and a contiguous little-endian copy otherwise (views, transposes, big-endian files).
 */
final class TensorPlan {
    private final TensorInfo info;
    private final MemorySegment storage;
    private final long offset;
    private final long[] size;
    private final long[] stride;
    private final boolean contiguous;
    private final boolean swap;

    private TensorPlan(TensorInfo info, MemorySegment storage, long offset, long[] size, long[] stride,
            boolean contiguous, boolean swap) {
        this.info = info;
        this.storage = storage;
        this.offset = offset;
        this.size = size;
        this.stride = stride;
        this.contiguous = contiguous;
        this.swap = swap;
    }

    /**
     * @param storage the bytes the tensor's storage (view) covers
     * @param bigEndian whether the file stores elements big-endian
     */
    static TensorPlan of(String name, TensorRef t, MemorySegment storage, boolean bigEndian) {
        DType dtype = t.dtype();
        long es = dtype.byteSize();
        long[] size = t.size();
        long[] stride = t.stride();
        String where = "tensor " + name + " (size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                + ", storage offset " + t.offset() + ")";
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || size[i] > Integer.MAX_VALUE) {
                throw new FormatProblem(where + ": size[" + i + "] = " + size[i] + " (expected: 0 to " + Integer.MAX_VALUE + ")");
            }
            if (stride[i] < 0) {
                throw new FormatProblem(where + ": stride[" + i + "] = " + stride[i] + " (expected: >= 0)");
            }
        }
        if (t.offset() < 0) {
            throw new FormatProblem(where + ": negative storage offset");
        }
        long storageElems = storage.byteSize() / es;
        long numel;
        long byteSize;
        long last;
        try {
            numel = 1;
            last = t.offset();
            for (int i = 0; i < size.length; i++) {
                numel = Math.multiplyExact(numel, size[i]);
                if (size[i] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            }
            byteSize = Math.multiplyExact(numel, es);
        } catch (ArithmeticException e) {
            throw new FormatProblem(where + ": more elements or a larger extent than 2^63");
        }
        if (numel > 0 && last >= storageElems) {
            throw new FormatProblem(where + ": reaches element " + last + " of a storage of " + storageElems + " "
                    + dtype + " elements (expected: every element inside its storage)");
        }
        if (numel == 0 && t.offset() > storageElems) {
            throw new FormatProblem(where + ": offset past a storage of " + storageElems + " elements");
        }
        boolean contiguous = isContiguous(size, stride);
        if (!contiguous && byteSize > storage.byteSize()) {
            throw new FormatProblem(where + ": a strided view of " + byteSize + " bytes over a storage of "
                    + storage.byteSize() + " bytes (expected: a view no larger than its storage)");
        }
        boolean swap = bigEndian && es > 1;
        TensorInfo info = new TensorInfo(name, dtype, Shape.ofLongs(size));
        return new TensorPlan(info, storage, t.offset(), size, stride, contiguous, swap);
    }

    /** Row-major contiguous, as torch's is_contiguous: dimensions of size 1 may have any stride. */
    private static boolean isContiguous(long[] size, long[] stride) {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] == 0) {
                return true;
            }
            if (size[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= size[i];
        }
        return true;
    }

    TensorInfo info() {
        return info;
    }

    /** Whether {@link #bytes} can hand out the mapped file without a copy. */
    boolean mapsInPlace() {
        return contiguous && !swap;
    }

    MemorySegment bytes(Arena arena) {
        long es = info.dtype().byteSize();
        long byteSize = info.byteSize();
        if (contiguous) {
            MemorySegment slice = storage.asSlice(offset * es, byteSize);
            return swap ? swapped(slice, arena.allocate(Math.max(byteSize, 1), 8).asSlice(0, byteSize), (int) es) : slice;
        }
        MemorySegment out = arena.allocate(Math.max(byteSize, 1), 8).asSlice(0, byteSize);
        gather(out, (int) es);
        return swap ? swapped(out, out, (int) es) : out;
    }

    /** Copies the strided elements in row-major order; a unit innermost stride copies whole rows. */
    private void gather(MemorySegment out, int es) {
        int rank = size.length;
        if (info.byteSize() == 0) {
            return;
        }
        if (rank == 0) {
            MemorySegment.copy(storage, offset * es, out, 0, es);
            return;
        }
        long inner = size[rank - 1];
        long innerStride = stride[rank - 1];
        long[] index = new long[rank - 1];
        long dst = 0;
        while (true) {
            long src = offset;
            for (int d = 0; d < rank - 1; d++) {
                src += index[d] * stride[d];
            }
            if (innerStride == 1) {
                MemorySegment.copy(storage, src * es, out, dst, inner * es);
                dst += inner * es;
            } else {
                for (long j = 0; j < inner; j++) {
                    MemorySegment.copy(storage, (src + j * innerStride) * es, out, dst, es);
                    dst += es;
                }
            }
            int d = rank - 2;
            while (d >= 0 && ++index[d] == size[d]) {
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static MemorySegment swapped(MemorySegment src, MemorySegment dst, int es) {
        long n = src.byteSize() / es;
        switch (es) {
            case 2 -> {
                var be = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                var le = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                for (long i = 0; i < n; i++) {
                    dst.set(le, i * 2, src.get(be, i * 2));
                }
            }
            case 4 -> {
                var be = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                var le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                for (long i = 0; i < n; i++) {
                    dst.set(le, i * 4, src.get(be, i * 4));
                }
            }
            case 8 -> {
                var be = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
                var le = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
                for (long i = 0; i < n; i++) {
                    dst.set(le, i * 8, src.get(be, i * 8));
                }
            }
            default -> throw new IllegalStateException("element size " + es);
        }
        return dst;
    }
}
