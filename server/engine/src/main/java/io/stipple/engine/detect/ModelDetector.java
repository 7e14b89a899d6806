package io.stipple.engine.detect;

import io.stipple.engine.sampling.Prediction;
import io.stipple.engine.sampling.SamplingSettings;
import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.model.unet.UnetConfig.AttentionHeads;
import io.stipple.engine.model.vae.VaeConfig;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.RenamedParameters;
import io.stipple.plugin.api.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The family and hyper-parameters of a single-file checkpoint, from tensor names and shapes only
 * (no data is read), in the spirit of ComfyUI's model_detection.py and stable-diffusion.cpp.
 * Refuses what it cannot run with a message that says what it found.
 */
public final class ModelDetector {
    static final String UNET = "model.diffusion_model.";
    static final String VAE = "first_stage_model.";
    static final String SD1_CLIP = "cond_stage_model.transformer.";
    static final String SDXL_CLIP_L = "conditioner.embedders.0.transformer.";
    static final String SDXL_CLIP_G = "conditioner.embedders.1.model.";
    /** SDXL's ADM vector: the pooled bigG output plus six 256-wide size embeddings. */
    static final int SDXL_SIZE_EMBEDDINGS = 6 * 256;

    private ModelDetector() {}

    public static ModelArchitecture detect(ParameterSource file) {
        ParameterSource weights = RenamedParameters.comfyNames(file);
        if (!weights.has(UNET + "input_blocks.0.0.weight")) {
            throw new UnsupportedModelException("no Stable Diffusion UNet (" + UNET + "input_blocks.0.0.weight) in a file with "
                    + summary(weights));
        }
        boolean adm = weights.has(UNET + "label_emb.0.0.weight");
        if (!adm) {
            return detectSd1(weights);
        }
        if (weights.has("conditioner.embedders.0.model.transformer.resblocks.0.attn.in_proj_weight")) {
            throw new UnsupportedModelException("this is an SDXL refiner checkpoint (one OpenCLIP encoder as conditioner.embedders.0); "
                    + "the refiner is not supported yet");
        }
        return detectSdxl(weights);
    }

    private static ModelArchitecture detectSd1(ParameterSource weights) {
        if (weights.has("cond_stage_model.model.transformer.resblocks.0.attn.in_proj_weight")) {
            throw new UnsupportedModelException("this looks like Stable Diffusion 2.x (OpenCLIP text encoder at cond_stage_model.model); "
                    + "SD2 is not supported yet");
        }
        UnetConfig unet = UnetConfig.detectFrom(weights, UNET, AttentionHeads.count(8)).orElseThrow();
        TextEncoderConfig clip = textEncoder(weights, "clip_l", SD1_CLIP, false).orElseThrow(() -> missing(weights,
                "SD1.x UNet found, but no CLIP text encoder (" + SD1_CLIP + "text_model.*)"));
        requireContext(unet, clip.width(), List.of(clip));
        VaeConfig vae = vae(weights, "SD1.x");
        // as ComfyUI: an SD1.x checkpoint is eps-prediction (a v-prediction fine-tune needs ModelSamplingDiscrete)
        return new ModelArchitecture(ModelFamily.SD15, UNET, unet, List.of(clip), VAE, vae, SamplingSettings.EPS);
    }

    private static ModelArchitecture detectSdxl(ParameterSource weights) {
        int modelChannels = weights.info(UNET + "input_blocks.0.0.weight").orElseThrow().shape().dim(0);
        // SDXL's heads are 64 wide; test-sized models narrower than that use one head per model channel block
        UnetConfig unet = UnetConfig.detectFrom(weights, UNET, AttentionHeads.width(Math.min(64, modelChannels))).orElseThrow();
        TextEncoderConfig clipL = textEncoder(weights, "clip_l", SDXL_CLIP_L, false).orElseThrow(() -> missing(weights,
                "SDXL UNet found, but no CLIP-L text encoder (" + SDXL_CLIP_L + "text_model.*)"));
        TextEncoderConfig clipG = textEncoder(weights, "clip_g", SDXL_CLIP_G, true).orElseThrow(() -> missing(weights,
                "SDXL UNet found, but no OpenCLIP bigG text encoder (" + SDXL_CLIP_G + "transformer.resblocks.*)"));
        if (!weights.has(SDXL_CLIP_G + "text_projection")) {
            throw missing(weights, "SDXL's bigG text encoder has no text_projection (" + SDXL_CLIP_G + "text_projection)");
        }
        requireContext(unet, clipL.width() + clipG.width(), List.of(clipL, clipG));
        int projection = weights.info(SDXL_CLIP_G + "text_projection").orElseThrow().shape().dim(1);
        if (unet.admInChannels() != projection + SDXL_SIZE_EMBEDDINGS) {
            throw new UnsupportedModelException("the UNet's label_emb takes " + unet.admInChannels() + " values, but the pooled text ("
                    + projection + ") and size embeddings (" + SDXL_SIZE_EMBEDDINGS + ") give " + (projection + SDXL_SIZE_EMBEDDINGS));
        }
        VaeConfig vae = vae(weights, "SDXL");
        return new ModelArchitecture(ModelFamily.SDXL, UNET, unet, List.of(clipL, clipG), VAE, vae, sdxlSampling(weights));
    }

    /**
     * ComfyUI's SDXL.model_type: a "v_pred" key (an empty tensor that ComfyUI itself writes into the
     * v-prediction checkpoints it saves, as do the trainers of NoobAI-style models) means v-prediction,
     * and "ztsnr" beside it a zero-terminal-SNR schedule.
     */
    private static SamplingSettings sdxlSampling(ParameterSource weights) {
        if (weights.has("edm_mean") || weights.has("edm_vpred.sigma_max")) {
            throw new UnsupportedModelException("this SDXL checkpoint samples in the EDM formulation (edm_mean/edm_vpred keys: Playground 2.5"
                    + " or an EDM v-prediction model); that is not supported yet");
        }
        if (weights.has("v_pred")) {
            return new SamplingSettings(Prediction.V_PREDICTION, weights.has("ztsnr"));
        }
        return SamplingSettings.EPS;
    }

    private static Optional<TextEncoderConfig> textEncoder(ParameterSource weights, String name, String prefix, boolean openClip) {
        String embedding = openClip ? "token_embedding.weight" : "text_model.embeddings.token_embedding.weight";
        Optional<TensorInfo> tokens = weights.info(prefix + embedding);
        if (tokens.isEmpty()) {
            return Optional.empty();
        }
        int width = tokens.get().shape().dim(1);
        String layer = openClip ? "transformer.resblocks." : "text_model.encoder.layers.";
        String probe = openClip ? ".ln_1.weight" : ".layer_norm1.weight";
        int layers = 0;
        while (weights.has(prefix + layer + layers + probe)) {
            layers++;
        }
        if (layers == 0) {
            throw new UnsupportedModelException(name + " text encoder at " + prefix + " has embeddings but no layers");
        }
        return Optional.of(new TextEncoderConfig(name, prefix, openClip, width, layers, TextEncoderConfig.headsFor(width)));
    }

    private static void requireContext(UnetConfig unet, int width, List<TextEncoderConfig> encoders) {
        if (unet.contextDim() != width) {
            throw new UnsupportedModelException("the UNet cross-attends to " + unet.contextDim() + "-wide text, but the text encoders "
                    + encoders.stream().map(e -> e.name() + " " + e.width()).toList() + " give " + width);
        }
    }

    private static VaeConfig vae(ParameterSource weights, String family) {
        return VaeConfig.detectFrom(weights, VAE).orElseThrow(() -> missing(weights,
                family + " UNet found, but no VAE (" + VAE + "decoder.*)"));
    }

    private static UnsupportedModelException missing(ParameterSource weights, String what) {
        return new UnsupportedModelException(what + "; the file has " + summary(weights));
    }

    /** "287 tensors: model.diffusion_model (287)" — the top two levels of key prefixes with counts. */
    static String summary(ParameterSource weights) {
        Map<String, Integer> counts = new TreeMap<>();
        List<String> keys = weights.keys();
        for (String k : keys) {
            String[] parts = k.split("\\.", 3);
            String group = parts.length >= 3 ? parts[0] + "." + parts[1] : parts[0];
            counts.merge(group, 1, Integer::sum);
        }
        List<String> groups = new ArrayList<>();
        counts.forEach((g, n) -> groups.add(g + " (" + n + ")"));
        if (groups.size() > 8) {
            int rest = groups.size() - 8;
            groups.subList(8, groups.size()).clear();
            groups.add("and " + rest + " more");
        }
        return keys.size() + " tensors: " + String.join(", ", groups);
    }
}
