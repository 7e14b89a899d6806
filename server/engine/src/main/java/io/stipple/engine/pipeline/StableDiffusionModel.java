package io.stipple.engine.pipeline;

import io.stipple.engine.embeddings.EmbeddingLibrary;
import io.stipple.engine.sampling.SamplingSettings;
import io.stipple.engine.conditioning.TextEncoder;
import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.model.unet.UNetModel;
import io.stipple.engine.model.vae.AutoencoderKL;
import io.stipple.engine.sampling.UnetDenoiser;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.ModelSampling;
import io.stipple.tensor.Ops;

/**
 * A loaded checkpoint: its detected architecture and the three networks, all reading their weights
 * from one {@link ParameterSource} (a file, a merge, a LoRA overlay).
 */
public record StableDiffusionModel(
        String name,
        ModelArchitecture architecture,
        ParameterSource weights,
        UNetModel unet,
        TextEncoder textEncoder,
        AutoencoderKL vae,
        ModelSampling modelSampling,
        SamplingSettings sampling,
        Ops ops) {

    public ModelFamily family() {
        return architecture.family();
    }

    /** This model with its prompts reading "embedding:NAME" from {@code embeddings}. */
    public StableDiffusionModel withEmbeddings(EmbeddingLibrary embeddings) {
        return new StableDiffusionModel(name, architecture, weights, unet, textEncoder.withEmbeddings(embeddings), vae, modelSampling,
                sampling, ops);
    }

    /** This model sampled with other settings (ComfyUI's ModelSamplingDiscrete node): the same weights. */
    public StableDiffusionModel withSampling(SamplingSettings sampling) {
        return new StableDiffusionModel(name, architecture, weights, unet, textEncoder, vae, sampling.modelSampling(), sampling, ops);
    }

    public UnetDenoiser denoiser() {
        return new UnetDenoiser(unet, modelSampling, sampling.prediction());
    }
}
