package io.stipple.engine.pipeline;

import io.stipple.engine.image.RgbImage;

/**
 * Told what a generation does as it runs. Called on the generating thread; a listener may throw
 * {@link io.stipple.plugin.api.SamplingCancelledException} from {@link #onProgress} to stop the job.
 */
public interface GenerationListener {

    /** After each sampler step (from 1 to total). */
    default void onProgress(int step, int total, float sigma, long elapsedMillis) {}

    /** Whether a preview of {@code step} is wanted now (false when the client cannot take one). */
    default boolean wantsPreview(int step) {
        return false;
    }

    default void onPreview(int step, RgbImage preview) {}

    GenerationListener NONE = new GenerationListener() {};
}
