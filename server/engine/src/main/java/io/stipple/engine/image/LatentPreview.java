package io.stipple.engine.image;

import io.stipple.engine.sampling.LatentFormat;
import io.stipple.tensor.Tensor;

/**
 * A cheap preview of a latent without the VAE (ComfyUI's Latent2RGBPreviewer): each latent pixel
 * mapped to RGB by the family's linear factors, at the latent's own size, and scaled down when that
 * is larger than the preview's maximum. Never up: scaling adds no detail, only pixels to encode and
 * send at every step, and the client can enlarge what it shows.
 */
public final class LatentPreview {
    private LatentPreview() {}

    /**
     * @param latent (batch, 4, h, w) in model space (the sampler's denoised estimate); element 0 is shown
     * @param maxSize the longest the result's longer side may be, in pixels
     */
    public static RgbImage render(Tensor latent, LatentFormat format, int maxSize) {
        int c = latent.dim(1);
        int h = latent.dim(2);
        int w = latent.dim(3);
        int plane = h * w;
        float[] x = latent.ops().toArray(latent.ops().narrow(latent, 0, 0, 1));
        byte[] rgb = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            for (int k = 0; k < 3; k++) {
                float v = format.rgbBias()[k];
                for (int ch = 0; ch < Math.min(c, format.rgbFactors().length); ch++) {
                    v += x[ch * plane + i] * format.rgbFactors()[ch][k];
                }
                v = Math.min(1f, Math.max(0f, (v + 1f) / 2f));
                rgb[i * 3 + k] = (byte) (int) (v * 255f);
            }
        }
        RgbImage small = new RgbImage(w, h, rgb);
        if (Math.max(w, h) <= maxSize) {
            return small;
        }
        double scale = (double) maxSize / Math.max(w, h);
        int pw = Math.max(1, (int) Math.round(w * scale));
        int ph = Math.max(1, (int) Math.round(h * scale));
        return Resize.bilinear(small, pw, ph);
    }
}
