package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.Sampler;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.Fixtures;
import io.stipple.sampling.kdiffusion.testing.GaussianToyDenoiser;
import io.stipple.sampling.kdiffusion.testing.RecordingContext;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.random.DefaultNoiseSampler;
import io.stipple.tensor.testing.GoldenTensors;
import io.stipple.tensor.testing.TensorAssert;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The samplers without a golden run (or that call the model more than once per step), against
 * ComfyUI's k-diffusion code written out in torch ({@code make_sampler_fixture.py}) on the same
 * Gaussian toy model, schedule, start and seeded noise.
 */
class SamplerFixtureTest {
    private static final GoldenTensors FIXTURE = Fixtures.read("sampler_fixture.safetensors");
    private static final int[] SHAPE = {1, 4, 8, 8};

    static List<String> samplers() {
        return FIXTURE.names().stream().filter(n -> n.endsWith("/result")).map(n -> n.substring(0, n.indexOf('/'))).toList();
    }

    private static NoiseSampler generatorNoise(Tensor like, float[] sigmas, long seed) {
        DefaultNoiseSampler generator = new DefaultNoiseSampler(like.shape().dims(), seed);
        return (sigma, next) -> RecordingContext.cpu().fromArray(generator.sample(sigma, next), like.shape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samplers")
    void matchesTorch(String name) {
        Sampler sampler = switch (name) {
            // the script has no Brownian tree: both sides draw from the seeded default generator
            case "dpmpp_sde" -> new DpmPpSdeSampler(SamplerFixtureTest::generatorNoise);
            case "dpmpp_3m_sde" -> new DpmPp3mSdeSampler(SamplerFixtureTest::generatorNoise);
            default -> Extensions.sampler(name);
        };
        float[] sigmas = FIXTURE.floats(name + "/sigmas");
        float[] noise = FIXTURE.floats("noise");
        float scale = (float) Math.sqrt(1f + sigmas[0] * sigmas[0]);
        float[] start = new float[noise.length];
        for (int i = 0; i < start.length; i++) {
            start[i] = noise[i] * scale;
        }
        Shape shape = Shape.of(SHAPE);
        GaussianToyDenoiser model = new GaussianToyDenoiser(RecordingContext.cpu().fromArray(FIXTURE.floats("mean"), shape), 0.5f);
        Tensor result = sampler.sample(model, RecordingContext.cpu().fromArray(start, shape), sigmas, new RecordingContext(5));
        double tolerance = switch (name) {
            // its step sizes follow its float32 error norm, which torch sums in another order
            case "dpm_adaptive" -> 1e-4;
            // torch integrates the DEIS weights in float32 (autograd, a 10 000-term sum); Java in double
            case "deis" -> 1e-5;
            // einsum and LAPACK's solve round differently from a plain sum and elimination
            case "uni_pc", "uni_pc_bh2" -> 1e-5;
            default -> 1e-6;
        };
        TensorAssert.assertCloseRelative(name, FIXTURE.floats(name + "/result"), result.toArray(), tolerance);
    }
}
