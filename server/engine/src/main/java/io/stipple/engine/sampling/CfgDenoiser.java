package io.stipple.engine.sampling;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.Arrays;

/**
 * Classifier-free guidance over a UNet denoiser (ComfyUI's CFGGuider with cfg_function): the
 * positive and negative predictions, combined as uncond + (cond − uncond)·cfg on the denoised
 * estimates. At cfg 1 the negative prompt is not evaluated, as in ComfyUI.
 */
public final class CfgDenoiser implements Denoiser {
    private final UnetDenoiser model;
    private final Conditioning positive;
    private final Conditioning negative;
    private final float cfg;

    public CfgDenoiser(UnetDenoiser model, Conditioning positive, Conditioning negative, float cfg) {
        this.model = model;
        this.positive = positive;
        this.negative = negative;
        this.cfg = cfg;
    }

    @Override
    public ModelSampling modelSampling() {
        return model.modelSampling();
    }

    /** The conditioning repeated for a batch: built once per run, not at every step. */
    private record Batched(int batch, Conditioning positive, Conditioning negative, Conditioning both) {}

    private Batched batched;

    @Override
    public Tensor denoise(Tensor x, float sigma) {
        int batch = x.dim(0);
        Batched c = batchedFor(batch);
        float[] sigmas = new float[batch];
        Arrays.fill(sigmas, sigma);
        if (Math.abs(cfg - 1f) <= 1e-9f * Math.max(1f, Math.abs(cfg))) {
            return model.denoise(x, sigmas, c.positive().context(), c.positive().y());
        }
        Ops ops = x.ops();
        try (TensorScope scope = ops.scope()) {
            Tensor cond;
            Tensor uncond;
            if (c.both() != null) {
                // one UNet call for both halves, as ComfyUI batches cond and uncond
                Tensor both = model.denoise(ops.concat(0, x, x), concat(sigmas, sigmas), c.both().context(), c.both().y());
                cond = ops.narrow(both, 0, 0, batch);
                uncond = ops.narrow(both, 0, batch, batch);
            } else {
                cond = model.denoise(x, sigmas, c.positive().context(), c.positive().y());
                uncond = model.denoise(x, sigmas, c.negative().context(), c.negative().y());
            }
            return scope.keep(uncond.add(cond.sub(uncond).mul(cfg)));
        }
    }

    private Batched batchedFor(int batch) {
        if (batched == null || batched.batch() != batch) {
            // lives across steps, for the whole run: no step's scope may own it
            batched = TensorScope.detached(() -> batch(batch));
        }
        return batched;
    }

    private Batched batch(int batch) {
        Conditioning pos = new Conditioning(repeat(positive.context(), batch), repeat(positive.y(), batch));
        Conditioning neg = new Conditioning(repeat(negative.context(), batch), repeat(negative.y(), batch));
        Conditioning both = null;
        if (positive.context().dim(1) == negative.context().dim(1)) {
            Ops ops = pos.context().ops();
            both = new Conditioning(ops.concat(0, pos.context(), neg.context()),
                    pos.y() == null ? null : ops.concat(0, pos.y(), neg.y()));
        }
        return new Batched(batch, pos, neg, both);
    }

    private static Tensor repeat(Tensor t, int batch) {
        if (t == null || batch == 1) {
            return t;
        }
        Tensor[] copies = new Tensor[batch];
        Arrays.fill(copies, t);
        return t.ops().concat(0, copies);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
