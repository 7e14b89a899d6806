package io.stipple.tensor.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.cuda.device.DeviceBuffer;
import io.stipple.tensor.cuda.device.EmulatedDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CudaOps' caching allocator: a repeated step allocates from the device only the first time. */
class DeviceMemoryPoolTest {
    private final EmulatedDevice device = new EmulatedDevice();

    @AfterEach
    void close() {
        device.close();
    }

    @Test
    void sizesAreRoundedToClassesWastingAtMostAnEighth() {
        assertEquals(512, DeviceMemoryPool.sizeClass(1));
        assertEquals(512, DeviceMemoryPool.sizeClass(512));
        assertEquals(1024, DeviceMemoryPool.sizeClass(513));
        assertEquals(1L << 20, DeviceMemoryPool.sizeClass((1L << 20) - 3));
        assertEquals((1L << 20) + (1L << 17), DeviceMemoryPool.sizeClass((1L << 20) + 1));
        for (long bytes = (1L << 20) + 1; bytes < (1L << 34); bytes = bytes * 3 / 2 + 7) {
            long c = DeviceMemoryPool.sizeClass(bytes);
            assertTrue(c >= bytes && c - bytes <= bytes / 8, bytes + " -> " + c);
        }
    }

    @Test
    void aRepeatedStepReusesTheMemoryOfTheFirst() {
        CudaOps ops = new CudaOps(device);
        Tensor x = ops.fromArray(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3));
        float[] first = step(ops, x);
        long afterFirst = ops.memory().deviceAllocations();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(first, step(ops, x));
        }
        assertEquals(afterFirst, ops.memory().deviceAllocations(), "device allocations after the first step");
        assertTrue(ops.memoryUse().cachedBytes() > 0);
        ops.releaseCachedMemory();
        assertEquals(0, ops.memoryUse().cachedBytes());
        assertEquals(512, ops.memoryUse().inUseBytes(), "only x is left");
    }

    private static float[] step(CudaOps ops, Tensor x) {
        try (TensorScope s = ops.scope()) {
            Tensor y = ops.softmax(ops.addScaled(x, ops.permute(x.reshape(3, 2), 1, 0).reshape(2, 3), 0.5f));
            return ops.toArray(ops.layerNorm(y, null, null, 1e-5f));
        }
    }

    @Test
    void aBufferIsHandedToOneHolderAtATimeAndReleasedOnce() {
        DeviceMemoryPool pool = new DeviceMemoryPool(device);
        DeviceBuffer a = pool.allocate(100);
        DeviceBuffer b = pool.allocate(100);
        assertNotEquals(a.address(), b.address());
        assertEquals(100, a.bytes());
        pool.release(a);
        DeviceBuffer c = pool.allocate(300);
        assertEquals(a.address(), c.address(), "the same class (512 bytes) is reused");
        assertEquals(2, pool.deviceAllocations());
        pool.release(c);
        var e = assertThrows(IllegalStateException.class, () -> pool.release(c));
        assertTrue(e.getMessage().contains("released twice?"), e.getMessage());
    }
}
