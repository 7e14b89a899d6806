package io.stipple.example;

import io.stipple.plugin.api.Denoiser;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.SamplingContext;
import io.stipple.tensor.Tensor;
import org.pf4j.Extension;

/**
 * The template for a sampler of your own. Copy this module (plugins/example-sampler), rename the
 * package, the class, {@link #name()} and the plugin.id in the pom, write your algorithm in
 * {@link #sample}, build with {@code mvn package}, drop the jar into the server's plugins/ folder
 * and restart: {@code Generate} then accepts {@code sampler: "your_name"}, and ListSamplers shows it.
 *
 * <p>This one is the plain Euler method of Karras et al. (2022), Algorithm 1 without churn: at each
 * step, the derivative d = (x − denoised) / σ, and x moves along it to the next sigma. Everything a
 * sampler needs comes through its arguments:
 * <ul>
 *   <li>{@code denoiser.denoise(x, sigma)}: the model's estimate of the clean latent (guidance applied);
 *   <li>{@code sigmas}: the noise levels to visit, descending, the last usually 0;
 *   <li>{@code context.step(...)}: report each step (progress, previews); it throws when the job was
 *       cancelled — let that exception pass;
 *   <li>{@code context.defaultNoiseSampler(x)} and {@code context.seed()} for samplers that add noise.
 * </ul>
 * Tensors are immutable; their methods ({@code add}, {@code sub}, {@code mul}, {@code div}) return new ones.
 */
@Extension
public final class ExampleEulerSampler implements Sampler {

    @Override
    public String name() {
        return "example_euler";
    }

    @Override
    public Tensor sample(Denoiser denoiser, Tensor x, float[] sigmas, SamplingContext context) {
        for (int i = 0; i < sigmas.length - 1; i++) {
            float sigma = sigmas[i];
            Tensor denoised = denoiser.denoise(x, sigma);
            context.step(i, x, denoised, sigma);
            Tensor d = x.sub(denoised).div(sigma); // dx/dσ
            x = x.add(d.mul(sigmas[i + 1] - sigma));
        }
        return x;
    }
}
