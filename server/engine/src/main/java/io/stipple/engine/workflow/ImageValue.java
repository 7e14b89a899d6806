package io.stipple.engine.workflow;

import io.stipple.engine.image.Pixels;
import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.Tensor;
import java.util.List;

/**
 * IMAGE: (batch, 3, h, w) floats in the VAE's [-1, 1] pixel range. ComfyUI holds NHWC in [0, 1];
 * this layout is the one the VAE and the engine's image code use, so no node converts twice.
 */
public record ImageValue(Tensor pixels) implements Value {
    /** SaveImage's 8-bit pixels (clamped, truncated as ComfyUI does). */
    public List<RgbImage> images() {
        return Pixels.fromDecoded(pixels);
    }

    @Override
    public ValueType type() {
        return ValueType.IMAGE;
    }
}
