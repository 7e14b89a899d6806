package io.stipple.engine.sampling;

import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.random.DefaultNoiseSampler;

/** The SamplingContext of one generation: its seed, backend and step listener. */
final class JobSamplingContext implements SamplingContext {
    private final long seed;
    private final Ops ops;
    private final int totalSteps;
    private final StepListener listener;

    JobSamplingContext(long seed, Ops ops, int totalSteps, StepListener listener) {
        this.seed = seed;
        this.ops = ops;
        this.totalSteps = totalSteps;
        this.listener = listener;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public NoiseSampler defaultNoiseSampler(Tensor like) {
        Shape shape = like.shape();
        DefaultNoiseSampler noise = new DefaultNoiseSampler(shape.dims(), seed);
        return (sigma, sigmaNext) -> ops.fromArray(noise.sample(sigma, sigmaNext), shape);
    }

    @Override
    public void step(int index, Tensor x, Tensor denoised, float sigma) {
        listener.onStep(index + 1, totalSteps, sigma, x, denoised);
    }
}
