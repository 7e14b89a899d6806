package io.stipple.engine.image;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Between 8-bit images and the VAE's pixel tensors, with ComfyUI's rounding. */
public final class Pixels {
    private Pixels() {}

    /** (1, 3, h, w) in [-1, 1]: LoadImage's pixels / 255, then the VAE's x·2 − 1. */
    public static Tensor toTensor(Ops ops, RgbImage image) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        float[] data = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (rgb[i * 3 + c] & 0xff) / 255.0f;
                data[c * plane + i] = v * 2.0f - 1.0f;
            }
        }
        return ops.fromArray(data, Shape.of(1, 3, h, w));
    }

    /**
     * (batch, 3, h, w) VAE output to images: clamp((x + 1) / 2, 0, 1), then SaveImage's
     * {@code clip(255 · v, 0, 255).astype(uint8)} — truncation, not rounding.
     */
    public static List<RgbImage> fromDecoded(Tensor decoded) {
        int batch = decoded.dim(0);
        int h = decoded.dim(2);
        int w = decoded.dim(3);
        int plane = h * w;
        float[] data = decoded.toArray();
        List<RgbImage> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            byte[] rgb = new byte[plane * 3];
            for (int c = 0; c < 3; c++) {
                int base = (b * 3 + c) * plane;
                for (int i = 0; i < plane; i++) {
                    float v = (data[base + i] + 1.0f) / 2.0f;
                    v = Math.min(1f, Math.max(0f, v));
                    rgb[i * 3 + c] = (byte) (int) Math.min(255f, Math.max(0f, 255.0f * v));
                }
            }
            out.add(new RgbImage(w, h, rgb));
        }
        return out;
    }

    /** The image as ComfyUI's IMAGE values (batch element), NHWC floats in [0, 1]: for tests and tools. */
    public static float[] unitFloats(Tensor decoded) {
        int batch = decoded.dim(0);
        int h = decoded.dim(2);
        int w = decoded.dim(3);
        int plane = h * w;
        float[] data = decoded.toArray();
        float[] out = new float[data.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    float v = (data[(b * 3 + c) * plane + i] + 1.0f) / 2.0f;
                    out[(b * plane + i) * 3 + c] = Math.min(1f, Math.max(0f, v));
                }
            }
        }
        return out;
    }
}
