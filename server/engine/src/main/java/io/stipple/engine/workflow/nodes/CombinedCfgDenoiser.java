package io.stipple.engine.workflow.nodes;

import io.stipple.engine.sampling.Conditioning;
import io.stipple.engine.sampling.UnetDenoiser;
import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * CFG over conditionings of several entries, as ComfyUI's calc_cond_batch with full-area entries
 * of strength 1: each side's prediction is the mean of its entries' predictions, then
 * {@code uncond + (cond − uncond)·cfg} (the negative side skipped at cfg 1). Sampling with one entry
 * a side goes through the engine's CfgDenoiser instead, which batches the two UNet calls.
 */
final class CombinedCfgDenoiser implements Denoiser {
    private final UnetDenoiser model;
    private final List<Conditioning> positive;
    private final List<Conditioning> negative;
    private final float cfg;

    CombinedCfgDenoiser(UnetDenoiser model, List<Conditioning> positive, List<Conditioning> negative, float cfg) {
        this.model = model;
        this.positive = List.copyOf(positive);
        this.negative = List.copyOf(negative);
        this.cfg = cfg;
    }

    @Override
    public ModelSampling modelSampling() {
        return model.modelSampling();
    }

    @Override
    public Tensor denoise(Tensor x, float sigma) {
        Tensor cond = mean(x, sigma, positive);
        if (Math.abs(cfg - 1f) <= 1e-9f * Math.max(1f, Math.abs(cfg))) {
            return cond;
        }
        Tensor uncond = mean(x, sigma, negative);
        return uncond.add(cond.sub(uncond).mul(cfg));
    }

    private Tensor mean(Tensor x, float sigma, List<Conditioning> entries) {
        int batch = x.dim(0);
        float[] sigmas = new float[batch];
        Arrays.fill(sigmas, sigma);
        Tensor sum = null;
        for (Conditioning c : entries) {
            Tensor p = model.denoise(x, sigmas, repeat(c.context(), batch), repeat(c.y(), batch));
            sum = sum == null ? p : sum.add(p);
        }
        return entries.size() == 1 ? sum : sum.mul(1.0 / entries.size());
    }

    private static Tensor repeat(Tensor t, int batch) {
        if (t == null || batch == 1) {
            return t;
        }
        Tensor[] copies = new Tensor[batch];
        Arrays.fill(copies, t);
        Ops ops = t.ops();
        return ops.concat(0, copies);
    }
}
