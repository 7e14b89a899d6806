package io.stipple.engine.sampling;

import java.util.Objects;

/**
 * How a model samples: what it predicts, and whether its schedule is rescaled to zero terminal SNR
 * (ComfyUI's ModelSamplingDiscrete node: sampling "eps" or "v_prediction", zsnr). Detected from the
 * checkpoint (SDXL files carrying "v_pred" and "ztsnr" keys), or set by a request.
 */
public record SamplingSettings(Prediction prediction, boolean zsnr) {
    /** SD1.x and SDXL base: eps, the plain schedule. */
    public static final SamplingSettings EPS = new SamplingSettings(Prediction.EPS, false);

    public SamplingSettings {
        Objects.requireNonNull(prediction, "prediction");
    }

    /** The discrete schedule these settings give: SD's scaled-linear betas, rescaled when zsnr. */
    public DiscreteModelSampling modelSampling() {
        return DiscreteModelSampling.scaledLinear(zsnr);
    }
}
