package io.stipple.tensor.random;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.api.Test;

/** {@link DefaultNoiseSampler} against ComfyUI's {@code default_noise_sampler} in {@code testdata/golden/rng}. */
class DefaultNoiseSamplerTest {
    private static final GoldenTensors GOLDEN = Golden.tensors("rng/data.safetensors");

    @Test
    void successiveCallsMatchComfyUi() {
        DefaultNoiseSampler sampler = new DefaultNoiseSampler(new int[] {1, 4, 8, 8}, 42);
        float[] sigmas = GOLDEN.floats("brownian_sigmas");
        for (int i = 0; i < 4; i++) {
            String name = "default_noise_sampler_seed42_call" + i;
            assertExact(name, GOLDEN.floats(name), sampler.sample(sigmas[i], sigmas[i + 1]));
        }
    }

    @Test
    void firstCallIsTheInitialNoiseOfABatchOfOne() {
        int[] shape = {1, 4, 8, 8};
        assertExact("first call", InitialNoise.prepare(shape, 42), new DefaultNoiseSampler(shape, 42).sample(1f, 0.5f));
    }

    @Test
    void theShapeIsCopied() {
        int[] shape = {1, 4, 8, 8};
        DefaultNoiseSampler sampler = new DefaultNoiseSampler(shape, 42);
        shape[1] = 1;
        assertEquals(256, sampler.sample(1f, 0f).length);
    }

    @Test
    void badShapeIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DefaultNoiseSampler(new int[] {1, 4, -8, 8}, 42));
        assertEquals("shape [1, 4, -8, 8]: dimension -8 (expected: >= 0)", e.getMessage());
    }
}
