package io.stipple.engine.sampling;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;

/**
 * What the UNet predicts, and so how its output becomes the clean-latent estimate (ComfyUI's
 * {@code model_sampling.EPS} and {@code V_PREDICTION}, with sigma_data 1): the noise (SD1.x, SDXL
 * base), or the velocity v (SD2.x 768-v and the v-prediction fine-tunes). The input is scaled the
 * same way for both, x / √(σ² + 1).
 */
public enum Prediction {
    /** denoised = x − out·σ. */
    EPS,
    /** denoised = x / (σ² + 1) − out·σ / √(σ² + 1). */
    V_PREDICTION;

    /**
     * @param x (batch, 4, h, w) the noisy latent
     * @param out (batch, 4, h, w) the UNet's output
     * @param sigmas one noise level per batch element
     */
    Tensor denoised(Tensor x, Tensor out, float[] sigmas) {
        Ops ops = x.ops();
        Shape perSample = Shape.of(sigmas.length, 1, 1, 1);
        return switch (this) {
            case EPS -> x.sub(out.mul(ops.fromArray(sigmas, perSample)));
            case V_PREDICTION -> {
                // each step rounded to float32 in torch's order: sigma ** 2 + 1, then its square root
                float[] variance = new float[sigmas.length];
                float[] deviation = new float[sigmas.length];
                for (int b = 0; b < sigmas.length; b++) {
                    variance[b] = sigmas[b] * sigmas[b] + 1f;
                    deviation[b] = (float) Math.sqrt(variance[b]);
                }
                Tensor skip = x.div(ops.fromArray(variance, perSample));
                Tensor v = out.mul(ops.fromArray(sigmas, perSample)).div(ops.fromArray(deviation, perSample));
                yield skip.sub(v);
            }
        };
    }
}
