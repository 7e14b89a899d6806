package io.stipple.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The template sampler works, and the build registers it for PF4J. */
class ExampleEulerSamplerTest {
    private final Ops ops = new CpuOps();

    @Test
    void convergesToTheCleanLatentOfAToyModel() {
        // a denoiser that always knows the answer: the clean latent is all 0.5
        Tensor target = ops.full(Shape.of(1, 4, 2, 2), 0.5f);
        Denoiser oracle = new Denoiser() {
            @Override
            public Tensor denoise(Tensor x, float sigma) {
                return target;
            }

            @Override
            public ModelSampling modelSampling() {
                throw new UnsupportedOperationException();
            }
        };
        List<Integer> steps = new ArrayList<>();
        Tensor x = ops.full(Shape.of(1, 4, 2, 2), 10f);
        Tensor out = new ExampleEulerSampler().sample(oracle, x, new float[] {10f, 5f, 1f, 0f}, new SamplingContext() {
            @Override
            public long seed() {
                return 0;
            }

            @Override
            public Ops ops() {
                return ops;
            }

            @Override
            public NoiseSampler defaultNoiseSampler(Tensor like) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void step(int index, Tensor x, Tensor denoised, float sigma) {
                steps.add(index);
            }
        });
        for (float v : out.toArray()) {
            assertEquals(0.5f, v, 1e-6f);
        }
        assertEquals(List.of(0, 1, 2), steps);
    }

    @Test
    void theExtensionIndexNamesTheSampler() throws Exception {
        Path idx = Path.of("target/classes/META-INF/extensions.idx");
        assertTrue(Files.exists(idx), "PF4J's annotation processor did not run");
        assertTrue(Files.readString(idx).contains(ExampleEulerSampler.class.getName()));
    }
}
