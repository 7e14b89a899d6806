package io.stipple.tensor.random;

/**
 * The noise of ComfyUI's ancestral and SDE samplers when no Brownian tree is used:
 * {@code comfy.k_diffusion.sampling.default_noise_sampler(x, seed)}, a separate CPU
 * {@code torch.Generator} seeded with the sampler's seed, each call one {@code torch.randn} of x's
 * shape. Its first draw equals the initial noise of a batch-of-one latent with the same seed.
 *
 * <p>This follows ComfyUI at the commit the goldens were made with (a125cd84); later ComfyUI versions
 * seed this generator with {@code seed + 1} on the CPU.
 */
public final class DefaultNoiseSampler {
    private final int[] shape;
    private final TorchGenerator generator;

    public DefaultNoiseSampler(int[] shape, long seed) {
        Shapes.numel("shape", shape);
        this.shape = shape.clone();
        this.generator = new TorchGenerator(seed);
    }

    /** The next noise tensor; the sigmas do not change it (ComfyUI's lambda ignores them). */
    public float[] sample(float sigma, float sigmaNext) {
        return generator.randn(shape);
    }
}
