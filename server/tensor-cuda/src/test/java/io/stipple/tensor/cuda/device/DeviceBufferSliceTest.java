package io.stipple.tensor.cuda.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Slices of device buffers (CudaOps' batched GEMMs and per-image convolutions use them), on the emulated device. */
class DeviceBufferSliceTest {
    @Test
    void aSliceReadsAndWritesInsideItsAllocation() {
        try (EmulatedDevice device = new EmulatedDevice()) {
            DeviceBuffer whole = device.allocate(16);
            device.copyToDevice(MemorySegment.ofArray(new float[] {1, 2, 3, 4}), whole);
            float[] back = new float[2];
            device.copyToHost(whole.slice(8, 8), MemorySegment.ofArray(back));
            assertArrayEquals(new float[] {3, 4}, back);
            device.copyToDevice(MemorySegment.ofArray(new float[] {9}), whole.slice(4, 4));
            float[] all = new float[4];
            device.copyToHost(whole, MemorySegment.ofArray(all));
            assertArrayEquals(new float[] {1, 9, 3, 4}, all);
        }
    }

    @Test
    void aSliceOutsideItsBufferIsRefused() {
        DeviceBuffer b = new DeviceBuffer(4096, 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.slice(12, 8));
        assertTrue(e.getMessage().contains("slice of 8 bytes at 12 (expected: inside a buffer of 16)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.slice(-1, 1));
    }

    @Test
    void aSliceIsNotFreedAndDiesWithItsAllocation() {
        try (EmulatedDevice device = new EmulatedDevice()) {
            DeviceBuffer whole = device.allocate(16);
            DeviceBuffer tail = whole.slice(8, 8);
            IllegalStateException notHeld = assertThrows(IllegalStateException.class, () -> device.free(tail));
            assertTrue(notHeld.getMessage().contains("a slice?"), notHeld.getMessage());
            device.free(whole);
            assertThrows(IllegalStateException.class, () -> device.copyToHost(tail, MemorySegment.ofArray(new float[2])));
        }
    }
}
