package io.stipple.tensor.random;

import static io.stipple.tensor.testing.TensorAssert.assertExact;

import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.api.Test;

/** {@link BrownianTreeNoise} against ComfyUI's {@code BrownianTreeNoiseSampler} in {@code testdata/golden/rng}. */
class BrownianTreeNoiseGoldenTest {
    private static final GoldenTensors GOLDEN = Golden.tensors("rng/data.safetensors");

    @Test
    void stepsAlongAKarrasScheduleMatchComfyUi() {
        float[] sigmas = GOLDEN.floats("brownian_sigmas");
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float s : sigmas) {
            if (s > 0) {
                min = Math.min(min, s);
            }
            max = Math.max(max, s);
        }
        BrownianTreeNoise noise = new BrownianTreeNoise(new int[] {1, 4, 8, 8}, min, max, 42);
        for (int n = 0; n < 5; n++) {
            String name = "brownian_noise_seed42_step" + n;
            assertExact(name, GOLDEN.floats(name), noise.sample(sigmas[n], sigmas[n + 1]));
        }
    }
}
