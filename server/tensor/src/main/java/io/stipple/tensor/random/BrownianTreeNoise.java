package io.stipple.tensor.random;

/**
 * The noise of ComfyUI's SDE samplers (dpmpp_sde, dpmpp_2m_sde, dpmpp_3m_sde, ...):
 * {@code comfy.k_diffusion.sampling.BrownianTreeNoiseSampler(x, sigma_min, sigma_max, seed, cpu=True)}
 * with its identity transform, over ComfyUI's {@code BatchedBrownianTree} with one seed and torchsde's
 * {@code BrownianTree}. A call for (sigma, sigmaNext) returns the Brownian increment between the two
 * sigmas divided by sqrt|sigmaNext − sigma|, so a standard normal sample that is consistent across
 * steps: the same seed and sigmas give the same noise whatever was asked before.
 *
 * <p>Not thread-safe (the tree grows and caches as it is queried).
 */
public final class BrownianTreeNoise {
    private final BrownianInterval tree;
    /** BatchedBrownianTree's sign: -1 when it was built with sigmaMin > sigmaMax. */
    private final int sign;

    /**
     * @param shape    the latent's shape (x's), e.g. {@code [1, 4, 128, 128]}
     * @param sigmaMin the smallest positive sigma of the schedule (ComfyUI: {@code sigmas[sigmas > 0].min()})
     * @param sigmaMax the largest sigma of the schedule
     * @param seed     the sampler's seed, read as an unsigned 64-bit integer (ComfyUI seeds go up to 2^64 − 1)
     */
    public BrownianTreeNoise(int[] shape, float sigmaMin, float sigmaMax, long seed) {
        if (!Float.isFinite(sigmaMin) || !Float.isFinite(sigmaMax) || sigmaMin == sigmaMax) {
            throw new IllegalArgumentException("sigma range [" + sigmaMin + ", " + sigmaMax
                    + "] (expected: two different finite sigmas)");
        }
        boolean ordered = sigmaMin < sigmaMax;
        this.sign = ordered ? 1 : -1;
        float t0 = ordered ? sigmaMin : sigmaMax;
        float t1 = ordered ? sigmaMax : sigmaMin;
        this.tree = new BrownianInterval(shape, t0, t1, seed);
    }

    /**
     * The noise for the step from {@code sigma} to {@code sigmaNext}. Sigmas outside the range given at
     * construction are clamped to it, as torchsde does.
     */
    public float[] sample(float sigma, float sigmaNext) {
        if (!Float.isFinite(sigma) || !Float.isFinite(sigmaNext)) {
            throw new IllegalArgumentException("sigmas " + sigma + " -> " + sigmaNext + " (expected: finite values)");
        }
        boolean ordered = sigma < sigmaNext;
        float ta = ordered ? sigma : sigmaNext;
        float tb = ordered ? sigmaNext : sigma;
        float[] w = tree.increment(ta, tb);
        float factor = sign * (ordered ? 1 : -1);
        // sqrt of the float32 difference of the float32 sigmas, as the 0-d tensors compute it
        float scale = (float) Math.sqrt(Math.abs(sigmaNext - sigma));
        for (int i = 0; i < w.length; i++) {
            w[i] = w[i] * factor / scale;
        }
        return w;
    }
}
