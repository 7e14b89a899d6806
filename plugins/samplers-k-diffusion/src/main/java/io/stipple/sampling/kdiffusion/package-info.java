/**
 * ComfyUI's samplers and schedulers as Stipple plugins: every {@code sample_*} function of
 * k-diffusion that ComfyUI's KSampler offers, UniPC, and the schedulers of
 * {@code comfy.samplers.calculate_sigmas}, with ComfyUI's names and default parameters.
 *
 * <p>The arithmetic mirrors torch's: sigmas are float32, so the scalar coefficients a sampler
 * derives from them are computed in float32 (see {@link io.stipple.sampling.kdiffusion.math.F32}),
 * and each tensor expression is evaluated in the order torch evaluates it, so that a run reproduces
 * ComfyUI's to float32 rounding.
 */
package io.stipple.sampling.kdiffusion;
