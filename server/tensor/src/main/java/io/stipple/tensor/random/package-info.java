/**
 * Random numbers as torch and ComfyUI make them, bit for bit, so that a seed gives ComfyUI's image.
 *
 * <ul>
 *   <li>{@link io.stipple.tensor.random.TorchGenerator}: torch's CPU generator ({@code torch.manual_seed},
 *       {@code torch.randn}, {@code torch.rand}).</li>
 *   <li>{@link io.stipple.tensor.random.InitialNoise}: ComfyUI's {@code prepare_noise}, the KSampler's
 *       starting noise.</li>
 *   <li>{@link io.stipple.tensor.random.DefaultNoiseSampler}: the ancestral samplers' noise stream.</li>
 *   <li>{@link io.stipple.tensor.random.BrownianTreeNoise}: the SDE samplers' Brownian-tree noise
 *       (torchsde's {@code BrownianTree} under ComfyUI's {@code BrownianTreeNoiseSampler}).</li>
 * </ul>
 *
 * All of it reproduces torch 1.13 on an x86 CPU with float32 tensors, the setting of the goldens in
 * {@code testdata/golden/rng}.
 */
package io.stipple.tensor.random;
