package io.stipple.sampling.kdiffusion.samplers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.plugin.api.Sampler;
import io.stipple.sampling.kdiffusion.testing.Extensions;
import io.stipple.sampling.kdiffusion.testing.GaussianToyDenoiser;
import io.stipple.sampling.kdiffusion.testing.GoldenModelSampling;
import io.stipple.sampling.kdiffusion.testing.RecordingContext;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.random.TorchGenerator;
import org.junit.jupiter.api.Test;

/** The bad inputs and the corners of ComfyUI's behaviour that Stipple keeps or guards. */
class SamplerEdgeCaseTest {
    private static final Shape SHAPE = Shape.of(1, 4, 8, 8);

    @Test
    void dpmSolversRefuseAScheduleWithoutAPositiveEnd() {
        for (String name : new String[] {"dpm_fast", "dpm_adaptive"}) {
            Sampler sampler = Extensions.sampler(name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> sampler.sample(toy(), start(), new float[] {0f, 0f}, new RecordingContext(1)));
            assertEquals("sigma range: [0.0, 0.0] (expected: both ends above 0)", e.getMessage(), name);
        }
    }

    @Test
    void dpmAdaptiveStopsOnANaNErrorInsteadOfLoopingForever() {
        Denoiser broken = new Denoiser() {
            @Override
            public Tensor denoise(Tensor x, float sigma) {
                return x.ops().full(x.shape(), Float.NaN);
            }

            @Override
            public ModelSampling modelSampling() {
                return GoldenModelSampling.get();
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Extensions.sampler("dpm_adaptive")
                .sample(broken, start(), new float[] {14.614641f, 0.029167158f, 0f}, new RecordingContext(1)));
        assertEquals("dpm_adaptive: error estimate is NaN at sigma 14.61464 (expected: a finite denoiser output)",
                e.getMessage());
    }

    /** A single step into σ = 0 never draws noise, so the SDE samplers need no Brownian tree for it. */
    @Test
    void sdeSamplersTakeASingleStepToTheDenoisedEstimate() {
        for (String name : new String[] {"dpmpp_sde", "dpmpp_2m_sde", "dpmpp_3m_sde"}) {
            GaussianToyDenoiser model = toy();
            Tensor x = start();
            Tensor result = Extensions.sampler(name).sample(model, x, new float[] {14.614641f, 0f}, new RecordingContext(1));
            assertArrayEquals(model.denoise(x, 14.614641f).toArray(), result.toArray(), name);
        }
    }

    /** With eta 0 the ancestral samplers add no noise: Euler steps, then the denoised estimate. */
    @Test
    void ancestralSamplersWithoutEtaAreDeterministic() {
        float[] sigmas = Extensions.scheduler("karras").sigmas(GoldenModelSampling.get(), 6);
        Tensor x = start();
        RecordingContext context = new RecordingContext(1);
        float[] quiet = new EulerAncestralSampler(0.0, 1.0).sample(toy(), x, sigmas, context).toArray();
        float[] euler = Extensions.sampler("euler").sample(toy(), x, sigmas, new RecordingContext(1)).toArray();
        // ComfyUI still draws (and multiplies by σ_up = 0) on every step but the last
        assertEquals(5, context.noiseDraws(), "noise draws");
        float[] lastX = context.steps().get(5).x();
        float[] lastDenoised = toy().denoise(RecordingContext.cpu().fromArray(lastX, SHAPE), sigmas[5]).toArray();
        assertArrayEquals(lastDenoised, quiet, "the last step returns the denoised estimate");
        assertArrayEquals(euler, quiet, 1e-5f, "eta 0 follows Euler");
    }

    private static GaussianToyDenoiser toy() {
        return new GaussianToyDenoiser(RecordingContext.cpu().full(SHAPE, 0.1f), 0.5f);
    }

    private static Tensor start() {
        float[] noise = new TorchGenerator(2).randn(SHAPE.dims());
        for (int i = 0; i < noise.length; i++) {
            noise[i] *= 14.65f;
        }
        return RecordingContext.cpu().fromArray(noise, SHAPE);
    }
}
