package io.stipple.sampling.kdiffusion.testing;

import io.stipple.plugin.api.NoiseSampler;
import io.stipple.plugin.api.SamplingCancelledException;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.random.DefaultNoiseSampler;
import java.util.ArrayList;
import java.util.List;

/**
 * A sampling context on the CPU backend with ComfyUI's default noise sampler (a torch generator
 * seeded with the job's seed), that records every step callback and can cancel at a given step.
 */
public final class RecordingContext implements SamplingContext {
    private static final Ops OPS = new CpuOps();

    /** One step callback, copied out. */
    public record Step(int index, float[] x, float[] denoised, float sigma) {}

    private final long seed;
    private final int cancelAtStep;
    private final List<Step> steps = new ArrayList<>();
    private int noiseDraws;

    public RecordingContext(long seed) {
        this(seed, -1);
    }

    public RecordingContext(long seed, int cancelAtStep) {
        this.seed = seed;
        this.cancelAtStep = cancelAtStep;
    }

    /** The backend the tests build their tensors on. */
    public static Ops cpu() {
        return OPS;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Ops ops() {
        return OPS;
    }

    @Override
    public NoiseSampler defaultNoiseSampler(Tensor like) {
        DefaultNoiseSampler generator = new DefaultNoiseSampler(like.shape().dims(), seed);
        return (sigma, sigmaNext) -> {
            noiseDraws++;
            return OPS.fromArray(generator.sample(sigma, sigmaNext), like.shape());
        };
    }

    @Override
    public void step(int index, Tensor x, Tensor denoised, float sigma) {
        steps.add(new Step(index, x.toArray(), denoised.toArray(), sigma));
        if (index == cancelAtStep) {
            throw new SamplingCancelledException("cancelled at step " + index);
        }
    }

    public List<Step> steps() {
        return steps;
    }

    public int noiseDraws() {
        return noiseDraws;
    }
}
