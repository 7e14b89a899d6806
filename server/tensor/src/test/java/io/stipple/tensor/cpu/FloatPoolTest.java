package io.stipple.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.stipple.tensor.Shape;
import io.stipple.tensor.StorageEvents;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.cpu.gemm.Gemm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Freed float32 arrays are reused for tensors of the same length, never with stale contents, and the pool stays bounded. */
class FloatPoolTest {
    private static final int N = FloatPool.MIN_LENGTH;

    private static CpuOps ops(long capacityBytes) {
        return new CpuOps(Gemm.java(), Budgets.DEFAULT, StorageEvents.NONE, new FloatPool(capacityBytes));
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        return v;
    }

    @Test
    void aFreedArrayBacksTheNextTensorOfItsLength() {
        CpuOps ops = ops(1L << 20);
        float[] freedArray;
        try (TensorScope s = ops.scope()) {
            Tensor t = ops.fromArray(ramp(N), Shape.of(N));
            freedArray = ops.floats(t);
        }
        assertEquals(4L * N, ops.pool().pooledBytes());
        Tensor next = ops.full(Shape.of(N), 2f);
        assertSame(freedArray, ops.floats(next));
        assertEquals(1, ops.pool().reused());
        assertEquals(0, ops.pool().pooledBytes());
        float[] twos = new float[N];
        Arrays.fill(twos, 2f);
        assertArrayEquals(twos, next.toArray());
    }

    @Test
    void reusedArraysAreZeroedWhereAnOperationNeedsZeros() {
        CpuOps ops = ops(1L << 24);
        int side = 64; // 64·64 = 4096 floats per plane: pooled
        for (int round = 0; round < 2; round++) {
            try (TensorScope s = ops.scope()) {
                // leave non-zero arrays of the lengths zeros() and pad2d() will ask for
                ops.full(Shape.of(N), 7f);
                ops.full(Shape.of(1, 1, side + 2, side + 2), 7f);
            }
            assertArrayEquals(new float[N], ops.zeros(Shape.of(N)).toArray());
            float[] padded = ops.pad2d(ops.full(Shape.of(1, 1, side, side), 1f), 1, 1, 1, 1).toArray();
            int w = side + 2;
            for (int x = 0; x < w; x++) {
                assertEquals(0f, padded[x], "top border");
                assertEquals(0f, padded[(w - 1) * w + x], "bottom border");
            }
            assertEquals(1f, padded[w + 1]);
        }
        assertEquals(true, ops.pool().reused() >= 2);
    }

    @Test
    void keepsNoMoreThanItsCapacity() {
        CpuOps ops = ops(4L * N * 2);
        try (TensorScope s = ops.scope()) {
            for (int i = 0; i < 5; i++) {
                ops.full(Shape.of(N), i);
            }
        }
        assertEquals(4L * N * 2, ops.pool().pooledBytes());
    }

    @Test
    void smallArraysAndUnpooledBackendsAllocate() {
        CpuOps none = ops(0);
        try (TensorScope s = none.scope()) {
            none.full(Shape.of(N), 1f);
        }
        assertEquals(0, none.pool().pooledBytes());
        CpuOps some = ops(1L << 20);
        try (TensorScope s = some.scope()) {
            some.full(Shape.of(N - 1), 1f);
        }
        assertEquals(0, some.pool().pooledBytes());
    }
}
