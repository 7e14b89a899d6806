package io.stipple.plugin.api;

import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;

/** What a sampler gets besides the model: the job's seed, the backend, and the step callback. */
public interface SamplingContext {

    /** The job's seed; ancestral and SDE samplers seed their noise with it, as ComfyUI does. */
    long seed();

    Ops ops();

    /**
     * ComfyUI's default noise sampler: a torch generator seeded with {@link #seed()}, each call one
     * {@code randn} of the latent's shape.
     */
    NoiseSampler defaultNoiseSampler(Tensor like);

    /**
     * Reports step {@code index} (from 0) as k-diffusion's callback does, with the sampler's state
     * {@code x} and this step's {@code denoised} estimate. Throws
     * {@link SamplingCancelledException} when the job was cancelled: samplers must let it pass.
     */
    void step(int index, Tensor x, Tensor denoised, float sigma);
}
