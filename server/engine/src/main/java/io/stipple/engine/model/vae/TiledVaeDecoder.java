package io.stipple.engine.model.vae;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.function.UnaryOperator;

/**
 * Decodes a large latent in overlapping tiles, each a whole VAE decode, blended with linear feathers
 * across the overlaps (ComfyUI's tiled_scale). A 2048² SDXL decode needs about 15 GB of activations
 * at once; in 1024-pixel tiles it needs what a 1024² decode does. Seams are invisible but the pixels
 * differ slightly from a whole decode, so images up to {@link #WHOLE_LIMIT} latent pixels are decoded whole.
 */
public final class TiledVaeDecoder {
    /** Latent pixels (h·w) decoded in one piece: up to 1024×1024 images, exactly as ComfyUI decodes them. */
    public static final int WHOLE_LIMIT = 128 * 128;
    private static final int TILE = 96;
    private static final int OVERLAP = 16;

    private TiledVaeDecoder() {}

    /** (1, 4, h, w) latent to (1, 3, 8h, 8w) pixels, whole or tiled as its size requires. */
    public static Tensor decode(AutoencoderKL vae, Tensor latent) {
        if (latent.dim(2) * latent.dim(3) <= WHOLE_LIMIT) {
            return vae.decode(latent);
        }
        return tiled(vae::decode, vae.config().downscale(), latent, TILE, OVERLAP);
    }

    /** Tiles of {@code tile} latent pixels overlapping by {@code overlap}, each through {@code decoder}. */
    static Tensor tiled(UnaryOperator<Tensor> decoder, int scale, Tensor latent, int tile, int overlap) {
        Ops ops = latent.ops();
        int h = latent.dim(2);
        int w = latent.dim(3);
        int outH = h * scale;
        int outW = w * scale;
        float[] sum = new float[3 * outH * outW];
        float[] weight = new float[outH * outW];
        for (int y0 = 0; ; y0 += tile - overlap) {
            int y = Math.max(0, Math.min(h - tile, y0));
            for (int x0 = 0; ; x0 += tile - overlap) {
                int x = Math.max(0, Math.min(w - tile, x0));
                int th = Math.min(tile, h - y);
                int tw = Math.min(tile, w - x);
                float[] pixels; // (1, 3, th·scale, tw·scale)
                try (TensorScope scope = ops.scope()) {
                    Tensor part = ops.narrow(ops.narrow(latent, 2, y, th), 3, x, tw);
                    pixels = decoder.apply(part).toArray();
                }
                accumulate(pixels, th * scale, tw * scale, y * scale, x * scale, overlap * scale, sum, weight, outH, outW);
                if (x + tw >= w) {
                    break;
                }
            }
            if (y + Math.min(tile, h - y) >= h) {
                break;
            }
        }
        int plane = outH * outW;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                sum[c * plane + i] /= weight[i];
            }
        }
        return ops.fromArray(sum, Shape.of(1, 3, outH, outW));
    }

    /** Adds a decoded tile with a mask that ramps linearly over {@code feather} pixels at each edge. */
    private static void accumulate(float[] tile, int th, int tw, int oy, int ox, int feather, float[] sum, float[] weight,
            int outH, int outW) {
        int plane = outH * outW;
        int tplane = th * tw;
        for (int y = 0; y < th; y++) {
            float my = ramp(y, th, feather);
            for (int x = 0; x < tw; x++) {
                float m = my * ramp(x, tw, feather);
                int o = (oy + y) * outW + ox + x;
                weight[o] += m;
                for (int c = 0; c < 3; c++) {
                    sum[c * plane + o] += tile[c * tplane + y * tw + x] * m;
                }
            }
        }
    }

    private static float ramp(int i, int n, int feather) {
        int fromEdge = Math.min(i, n - 1 - i);
        return fromEdge >= feather ? 1f : (fromEdge + 1f) / feather;
    }
}
