package io.stipple.sampling.kdiffusion.samplers;

import io.stipple.plugin.api.NoiseSampler;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.random.BrownianTreeNoise;

/**
 * The SDE samplers' noise: ComfyUI's {@code BrownianTreeNoiseSampler(x, sigma_min, sigma_max,
 * seed, cpu=True)} over the schedule's smallest positive and largest sigma, seeded with the job's
 * seed, so that the noise of a step depends only on its sigmas. The tree is built on the first
 * draw, so a schedule that never draws (a single step into σ = 0) needs no valid range.
 */
final class BrownianNoise implements NoiseSampler {
    private final Tensor like;
    private final float sigmaMin;
    private final float sigmaMax;
    private final long seed;
    private BrownianTreeNoise tree;

    private BrownianNoise(Tensor like, float sigmaMin, float sigmaMax, long seed) {
        this.like = like;
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.seed = seed;
    }

    static BrownianNoise forSchedule(Tensor like, float[] sigmas, long seed) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float sigma : sigmas) {
            if (sigma > 0f && sigma < min) {
                min = sigma;
            }
            max = Math.max(max, sigma);
        }
        return new BrownianNoise(like, min, max, seed);
    }

    @Override
    public Tensor sample(float sigma, float sigmaNext) {
        if (tree == null) {
            tree = new BrownianTreeNoise(like.shape().dims(), sigmaMin, sigmaMax, seed);
        }
        Shape shape = like.shape();
        return like.ops().fromArray(tree.sample(sigma, sigmaNext), shape);
    }
}
