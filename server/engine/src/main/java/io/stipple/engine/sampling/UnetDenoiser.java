package io.stipple.engine.sampling;

import io.stipple.engine.model.unet.UNetModel;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;

/**
 * A UNet as a denoiser (ComfyUI's {@code BaseModel.apply_model} with {@code ModelSamplingDiscrete}):
 * scales the input for its noise level, maps sigma to the nearest trained timestep, and turns the
 * prediction (noise, or v) into the clean-latent estimate ({@link Prediction}).
 */
public final class UnetDenoiser {
    private final UNetModel unet;
    private final ModelSampling modelSampling;
    private final Prediction prediction;

    public UnetDenoiser(UNetModel unet, ModelSampling modelSampling) {
        this(unet, modelSampling, Prediction.EPS);
    }

    public UnetDenoiser(UNetModel unet, ModelSampling modelSampling, Prediction prediction) {
        this.unet = unet;
        this.modelSampling = modelSampling;
        this.prediction = prediction;
    }

    public ModelSampling modelSampling() {
        return modelSampling;
    }

    /**
     * @param x (batch, 4, h, w) noisy latent in model space
     * @param sigmas one noise level per batch element
     * @param context (batch, tokens, context_dim)
     * @param y (batch, adm) or null
     * @return (batch, 4, h, w) denoised estimate
     */
    public Tensor denoise(Tensor x, float[] sigmas, Tensor context, Tensor y) {
        Ops ops = x.ops();
        int batch = x.dim(0);
        float[] inputScale = new float[batch];
        float[] sigma = new float[batch];
        float[] timesteps = new float[batch];
        for (int b = 0; b < batch; b++) {
            float s = sigmas[b];
            // torch: input / (sigma ** 2 + sigma_data ** 2) ** 0.5 on float32 tensors
            inputScale[b] = (float) Math.sqrt(s * s + 1f);
            sigma[b] = s;
            timesteps[b] = modelSampling.timestep(s);
        }
        Shape perSample = Shape.of(batch, 1, 1, 1);
        try (TensorScope scope = ops.scope()) {
            Tensor xIn = x.div(ops.fromArray(inputScale, perSample));
            Tensor out = unet.forward(xIn, timesteps, context, y);
            return scope.keep(prediction.denoised(x, out, sigma));
        }
    }
}
