package io.stipple.plugin.api;

import org.pf4j.ExtensionPoint;

/** A noise schedule (ComfyUI's scheduler names): the sigmas a sampler visits. */
public interface Scheduler extends ExtensionPoint {

    /** The name requests use, ComfyUI's ("normal", "karras"). */
    String name();

    /**
     * The sigmas for {@code steps} steps, descending and ending in 0: normally {@code steps + 1}
     * values (a few of ComfyUI's schedulers give fewer, and Stipple keeps their behaviour).
     */
    float[] sigmas(ModelSampling modelSampling, int steps);
}
