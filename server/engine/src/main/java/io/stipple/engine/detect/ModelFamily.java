package io.stipple.engine.detect;

import io.stipple.engine.sampling.LatentFormat;

/** The model families Stipple runs. Detected from the weights, never asked for. */
public enum ModelFamily {
    SD15("sd15", "Stable Diffusion 1.x", LatentFormat.SD15, 512),
    SDXL("sdxl", "Stable Diffusion XL", LatentFormat.SDXL, 1024);

    private final String id;
    private final String displayName;
    private final LatentFormat latentFormat;
    private final int nativeSize;

    ModelFamily(String id, String displayName, LatentFormat latentFormat, int nativeSize) {
        this.id = id;
        this.displayName = displayName;
        this.latentFormat = latentFormat;
        this.nativeSize = nativeSize;
    }

    /** Short name used in the API and logs: "sd15", "sdxl". */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public LatentFormat latentFormat() {
        return latentFormat;
    }

    /** The image size the family was trained at, the default width and height. */
    public int nativeSize() {
        return nativeSize;
    }
}
