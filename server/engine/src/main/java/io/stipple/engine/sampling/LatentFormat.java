package io.stipple.engine.sampling;

import io.stipple.tensor.Tensor;

/**
 * How a model family's latents relate to its VAE's (ComfyUI's latent_formats): the scale applied
 * before sampling ({@link #processIn}) and removed after ({@link #processOut}), and the linear map
 * from latent channels to RGB used for cheap previews.
 *
 * @param rgbFactors (channels × 3) latent-to-RGB matrix
 * @param rgbBias RGB offset, or zeros
 */
public record LatentFormat(String name, float scaleFactor, float[][] rgbFactors, float[] rgbBias) {

    public static final LatentFormat SD15 = new LatentFormat("sd15", 0.18215f,
            new float[][] {
                {0.3512f, 0.2297f, 0.3227f},
                {0.3250f, 0.4974f, 0.2350f},
                {-0.2829f, 0.1762f, 0.2721f},
                {-0.2120f, -0.2616f, -0.7177f}},
            new float[] {0, 0, 0});

    public static final LatentFormat SDXL = new LatentFormat("sdxl", 0.13025f,
            new float[][] {
                {0.3651f, 0.4232f, 0.4341f},
                {-0.2533f, -0.0042f, 0.1068f},
                {0.1076f, 0.1111f, -0.0362f},
                {-0.3165f, -0.2492f, -0.2188f}},
            new float[] {0.1084f, -0.0175f, -0.0011f});

    /** VAE latent to the model's sampling space. */
    public Tensor processIn(Tensor latent) {
        return latent.mul(scaleFactor);
    }

    /** The model's sampling space back to the VAE latent (torch divides: so do we). */
    public Tensor processOut(Tensor latent) {
        return latent.div(scaleFactor);
    }
}
