package io.stipple.tensor.random;

import java.util.Arrays;

/**
 * The initial noise of a KSampler run: ComfyUI's {@code comfy.sample.prepare_noise(latent, seed,
 * noise_inds)}, which draws from torch's default CPU generator after {@code torch.manual_seed(seed)}.
 */
public final class InitialNoise {
    private InitialNoise() {}

    /**
     * {@code prepare_noise(latent, seed, None)}: one {@code torch.randn} of the whole latent shape
     * ({@code [B, C, H, W]}), so image b of a batch is not the noise of a batch of one with that seed
     * unless b is 0.
     */
    public static float[] prepare(int[] latentShape, long seed) {
        return new TorchGenerator(seed).randn(latentShape);
    }

    /**
     * {@code prepare_noise(latent, seed, noise_inds)} (a latent's {@code batch_index}): one randn of
     * {@code [1, C, H, W]} per index 0..max(noiseInds) from the seeded generator; output item k is draw
     * {@code noiseInds[k]}. The result has {@code noiseInds.length} items whatever the latent's batch
     * size; repeated indices repeat the same noise.
     *
     * @param noiseInds null for {@link #prepare(int[], long)}; otherwise at least one index, none negative
     */
    public static float[] prepare(int[] latentShape, long seed, int[] noiseInds) {
        if (noiseInds == null) {
            return prepare(latentShape, seed);
        }
        if (latentShape == null || latentShape.length == 0) {
            throw new IllegalArgumentException("latent shape " + Arrays.toString(latentShape)
                    + " (expected: a batch dimension first, e.g. [B, C, H, W])");
        }
        if (noiseInds.length == 0) {
            throw new IllegalArgumentException("noise indices []: empty (expected: at least one index, or null)");
        }
        int max = 0;
        for (int index : noiseInds) {
            if (index < 0) {
                throw new IllegalArgumentException("noise index " + index + " in " + Arrays.toString(noiseInds)
                        + " (expected: >= 0)");
            }
            max = Math.max(max, index);
        }
        int itemSize = Shapes.numel("latent shape", withBatch(latentShape, 1));
        float[] out = new float[Shapes.numel("noise shape", withBatch(latentShape, noiseInds.length))];
        float[] draw = new float[itemSize];
        TorchGenerator generator = new TorchGenerator(seed);
        for (int i = 0; i <= max; i++) {
            generator.randn(draw, 0, itemSize);
            for (int k = 0; k < noiseInds.length; k++) {
                if (noiseInds[k] == i) {
                    System.arraycopy(draw, 0, out, k * itemSize, itemSize);
                }
            }
        }
        return out;
    }

    private static int[] withBatch(int[] shape, int batch) {
        int[] s = shape.clone();
        s[0] = batch;
        return s;
    }
}
