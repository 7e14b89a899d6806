package io.stipple.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.stipple.engine.testing.TestModels;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.tensor.cpu.CpuOps;
import org.junit.jupiter.api.Test;

/** A seed gives the same latent bit for bit on every run: across fresh model loads and the JIT's warm-up. */
class ReproducibilityTest {
    @Test
    void sameInputsSameLatentAcrossFreshLoads() {
        CpuOps ops = new CpuOps();
        float[][] out = new float[3][];
        for (int i = 0; i < 3; i++) {
            try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
                var model = ModelLoader.load("m", new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
                var request = new GenerationRequest("a cat", "", 64, 64, 1, 9, 2, 8f, "euler", "normal", 1.0, 0, null, null, 0, 64);
                out[i] = Pipeline.run(model, request, TestPlugins.sampler("euler"), TestPlugins.scheduler("normal"), GenerationListener.NONE)
                        .latent().toArray();
            }
        }
        assertArrayEquals(out[0], out[1]);
        assertArrayEquals(out[0], out[2]);
    }
}
