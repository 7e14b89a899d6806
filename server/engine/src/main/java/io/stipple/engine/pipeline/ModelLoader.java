package io.stipple.engine.pipeline;

import io.stipple.engine.conditioning.Sd1TextEncoder;
import io.stipple.engine.conditioning.SdxlTextEncoder;
import io.stipple.engine.conditioning.TextEncoder;
import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.detect.ModelDetector;
import io.stipple.engine.detect.TextEncoderConfig;
import io.stipple.engine.model.clip.ClipTextLayout;
import io.stipple.engine.model.clip.ClipTextModel;
import io.stipple.engine.model.clip.WeightedClipEncoder;
import io.stipple.engine.model.unet.UNetModel;
import io.stipple.engine.model.vae.AutoencoderKL;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.RenamedParameters;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Ops;

/** Builds a runnable model from weights: detects the architecture and wires UNet, text encoders and VAE to it. */
public final class ModelLoader {
    /** CLIP's special tokens (the same vocabulary serves CLIP-L and bigG). */
    private static final int START = 49406;
    private static final int END = 49407;

    private ModelLoader() {}

    /**
     * @throws io.stipple.engine.detect.UnsupportedModelException if the weights are not a model Stipple runs
     */
    public static StableDiffusionModel load(String name, ParameterSource file, Ops ops) {
        ParameterSource weights = RenamedParameters.comfyNames(file);
        ModelArchitecture arch = ModelDetector.detect(weights);
        UNetModel unet = new UNetModel(arch.unet(), Weights.of(weights, arch.unetPrefix()));
        AutoencoderKL vae = new AutoencoderKL(arch.vae(), Weights.of(weights, arch.vaePrefix()));
        TextEncoder text = switch (arch.family()) {
            case SD15 -> new Sd1TextEncoder(clip(weights, arch.textEncoder("clip_l"), END));
            case SDXL -> new SdxlTextEncoder(clip(weights, arch.textEncoder("clip_l"), END), clip(weights, arch.textEncoder("clip_g"), 0));
        };
        return new StableDiffusionModel(name, arch, weights, unet, text, vae, arch.sampling().modelSampling(), arch.sampling(), ops);
    }

    private static WeightedClipEncoder clip(ParameterSource weights, TextEncoderConfig config, int padToken) {
        Weights w = Weights.of(weights, config.prefix());
        ClipTextLayout layout = config.openClipLayout() ? new ClipTextLayout.OpenClip(w) : new ClipTextLayout.HuggingFace(w);
        return new WeightedClipEncoder(new ClipTextModel(layout, config.heads()), START, END, padToken);
    }
}
