package io.stipple.sampling.kdiffusion.testing;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.Tensor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exact denoiser for data distributed N(mean, s²) independently per element:
 * D(x, σ) = mean + (x − mean)·s²/(σ² + s²). Sampling it from pure noise must end near that
 * distribution, which lets multi-evaluation samplers be checked without a network.
 */
public final class GaussianToyDenoiser implements Denoiser {
    private final Tensor mean;
    private final float variance;
    private final AtomicInteger calls = new AtomicInteger();

    public GaussianToyDenoiser(Tensor mean, float std) {
        this.mean = mean;
        this.variance = std * std;
    }

    @Override
    public Tensor denoise(Tensor x, float sigma) {
        calls.incrementAndGet();
        float shrink = variance / (sigma * sigma + variance);
        return x.sub(mean).mul(shrink).add(mean);
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public ModelSampling modelSampling() {
        return GoldenModelSampling.get();
    }
}
