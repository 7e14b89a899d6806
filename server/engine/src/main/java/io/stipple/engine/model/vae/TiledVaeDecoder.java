package io.stipple.engine.model.vae;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
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
        return decode(vae::decode, vae.config().downscale(), latent);
    }

    /** The same for any decoder that scales by {@code scale}: whole up to {@link #WHOLE_LIMIT}, tiled beyond. */
    static Tensor decode(UnaryOperator<Tensor> decoder, int scale, Tensor latent) {
        if (latent.dim(2) * latent.dim(3) <= WHOLE_LIMIT) {
            return decoder.apply(latent);
        }
        return tiled(decoder, scale, latent, TILE, OVERLAP);
    }

    /** Tiles of {@code tile} latent pixels overlapping by {@code overlap}, each through {@code decoder}, blended by the backend. */
    static Tensor tiled(UnaryOperator<Tensor> decoder, int scale, Tensor latent, int tile, int overlap) {
        Ops ops = latent.ops();
        int h = latent.dim(2);
        int w = latent.dim(3);
        try (TensorScope scope = ops.scope()) {
            List<Tensor> decoded = new ArrayList<>(); // each (1, 3, th·scale, tw·scale)
            List<int[]> corners = new ArrayList<>();
            for (int y0 = 0; ; y0 += tile - overlap) {
                int y = Math.max(0, Math.min(h - tile, y0));
                for (int x0 = 0; ; x0 += tile - overlap) {
                    int x = Math.max(0, Math.min(w - tile, x0));
                    int th = Math.min(tile, h - y);
                    int tw = Math.min(tile, w - x);
                    Tensor rows = ops.narrow(latent, 2, y, th);
                    Tensor part = ops.narrow(rows, 3, x, tw);
                    scope.free(rows);
                    Tensor pixels = decoder.apply(part);
                    if (pixels != part) {
                        scope.free(part);
                    }
                    decoded.add(pixels);
                    corners.add(new int[] {y * scale, x * scale});
                    if (x + tw >= w) {
                        break;
                    }
                }
                if (y + Math.min(tile, h - y) >= h) {
                    break;
                }
            }
            int[] tops = corners.stream().mapToInt(c -> c[0]).toArray();
            int[] lefts = corners.stream().mapToInt(c -> c[1]).toArray();
            return scope.keep(ops.blendTiles(decoded, tops, lefts, h * scale, w * scale, overlap * scale));
        }
    }
}
