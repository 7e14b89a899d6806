package io.stipple.tensor.random;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link InitialNoise} against ComfyUI's {@code prepare_noise} in {@code testdata/golden/rng}. */
class InitialNoiseTest {
    private static final GoldenTensors GOLDEN = Golden.tensors("rng/data.safetensors");

    @Test
    void batchOfTwoIsOneDrawOfTheWholeShape() {
        String name = "prepare_noise_seed42_2x4x8x8";
        assertExact(name, GOLDEN.floats(name), InitialNoise.prepare(new int[] {2, 4, 8, 8}, 42));
    }

    @Test
    void batchOfOne() {
        String name = "prepare_noise_seed42_1x4x16x16";
        assertExact(name, GOLDEN.floats(name), InitialNoise.prepare(new int[] {1, 4, 16, 16}, 42));
        assertExact(name, GOLDEN.floats(name), InitialNoise.prepare(new int[] {1, 4, 16, 16}, 42, null));
    }

    @Test
    void noiseIndicesPickPerItemDraws() {
        String name = "prepare_noise_seed123_3x4x8x8_inds0-2-5";
        assertExact(name, GOLDEN.floats(name), InitialNoise.prepare(new int[] {3, 4, 8, 8}, 123, new int[] {0, 2, 5}));
    }

    @Test
    void noiseIndicesInAnyOrderWithRepeats() {
        int[] shape = {1, 4, 4, 4};
        float[] all = new float[6 * 64];
        TorchGenerator g = new TorchGenerator(9);
        for (int i = 0; i < 6; i++) {
            System.arraycopy(g.randn(shape), 0, all, i * 64, 64);
        }
        float[] picked = InitialNoise.prepare(new int[] {2, 4, 4, 4}, 9, new int[] {5, 1, 5});
        assertEquals(3 * 64, picked.length, "one item per index, whatever the latent batch");
        assertArrayEquals(Arrays.copyOfRange(all, 5 * 64, 6 * 64), Arrays.copyOfRange(picked, 0, 64));
        assertArrayEquals(Arrays.copyOfRange(all, 64, 128), Arrays.copyOfRange(picked, 64, 128));
        assertArrayEquals(Arrays.copyOfRange(all, 5 * 64, 6 * 64), Arrays.copyOfRange(picked, 128, 192));
    }

    @Test
    void badNoiseIndicesAreRefused() {
        int[] shape = {1, 4, 8, 8};
        var negative = assertThrows(IllegalArgumentException.class, () -> InitialNoise.prepare(shape, 1, new int[] {0, -1}));
        assertEquals("noise index -1 in [0, -1] (expected: >= 0)", negative.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> InitialNoise.prepare(shape, 1, new int[0]));
        assertEquals("noise indices []: empty (expected: at least one index, or null)", empty.getMessage());
        var scalar = assertThrows(IllegalArgumentException.class, () -> InitialNoise.prepare(new int[0], 1, new int[] {0}));
        assertEquals("latent shape [] (expected: a batch dimension first, e.g. [B, C, H, W])", scalar.getMessage());
    }

    @Test
    void badShapeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> InitialNoise.prepare(new int[] {1, -4, 8, 8}, 1));
        assertEquals("shape [1, -4, 8, 8]: dimension -4 (expected: >= 0)", e.getMessage());
    }
}
