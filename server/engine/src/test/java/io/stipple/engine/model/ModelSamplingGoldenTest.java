package io.stipple.engine.model;

import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.sampling.DiscreteModelSampling;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.api.Test;

/** The discrete sigma table against ComfyUI's ModelSamplingDiscrete buffers, bit for bit. */
class ModelSamplingGoldenTest {

    @Test
    void sigmaTableIsExact() {
        GoldenTensors g = Golden.tensors("model_sampling/data.safetensors");
        DiscreteModelSampling ms = DiscreteModelSampling.scaledLinear();
        assertExact("sigmas", g.floats("sigmas"), ms.sigmas());
        assertExact("log_sigmas", g.floats("log_sigmas"), ms.logSigmas());
        assertEquals(g.floats("sigma_min")[0], ms.sigmaMin());
        assertEquals(g.floats("sigma_max")[0], ms.sigmaMax());
    }

    @Test
    void sigmaAndTimestepInvertEachOtherOnTheTable() {
        DiscreteModelSampling ms = DiscreteModelSampling.scaledLinear();
        float[] sigmas = ms.sigmas();
        for (int t = 0; t < sigmas.length; t += 37) {
            assertEquals(t, ms.timestep(sigmas[t]));
            assertEquals(sigmas[t], ms.sigma(t), sigmas[t] * 1e-6);
        }
        assertEquals(0f, ms.timestep(1e-6f));
        assertEquals(999f, ms.timestep(1e6f));
    }
}
