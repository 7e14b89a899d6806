package io.stipple.app.grpc;

import io.stipple.engine.sampling.Prediction;
import io.stipple.engine.sampling.SamplingSettings;
import io.stipple.proto.v1.ModelSamplingSpec;
import io.stipple.app.grpc.GenerateCommand.ImageInput;
import io.stipple.app.grpc.GenerateCommand.InitInput;
import io.stipple.app.grpc.GenerateCommand.LatentInput;
import io.stipple.app.grpc.GenerateCommand.LoraChoice;
import io.stipple.app.grpc.GenerateCommand.ModelChoice;
import io.stipple.app.grpc.GenerateCommand.Previews;
import io.stipple.app.grpc.GenerateCommand.SdxlSize;
import io.stipple.app.models.ModelCards;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.Named;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.engine.image.ImageCodec;
import io.stipple.engine.image.Resize;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;
import io.stipple.engine.text.PromptWeights;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ImageFormat;
import io.stipple.proto.v1.LoraSpec;
import io.stipple.proto.v1.ResizeMode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a GenerateRequest field by field and resolves its names, before the job is queued. Each
 * problem is an {@link InvalidRequestException} naming the field, the value and what was expected;
 * unknown models are NOT_FOUND with the names there are.
 */
final class GenerateRequestValidator {
    static final int MIN_SIZE = 64;
    /** Beyond 1024² the VAE decodes in tiles; the UNet at 2048² SDXL is minutes a step on a CPU: A1111's limit. */
    static final int MAX_SIZE = 2048;
    static final int MAX_BATCH = 16;
    static final int MAX_STEPS = 1000;
    static final float MAX_CFG = 100f;
    static final float MAX_LORA_STRENGTH = 10f;
    static final int MAX_PROMPT_CHARS = 100_000;
    /** Each LoRA is a file opened and a patch computed per weight; ComfyUI workflows rarely stack more than a handful. */
    static final int MAX_LORAS = 32;

    private final PluginRegistry plugins;
    private final ModelRepository models;
    private final MergeRecipeValidator merges;
    private final LatentReader latents;
    private final ModelCards cards;
    private final SecureRandom random = new SecureRandom();

    GenerateRequestValidator(PluginRegistry plugins, ModelRepository models, MergeRecipeValidator merges, LatentReader latents,
            ModelCards cards) {
        this.plugins = plugins;
        this.models = models;
        this.merges = merges;
        this.latents = latents;
        this.cards = cards;
    }

    GenerateCommand validate(GenerateRequest r) {
        if (!r.hasModel()) {
            throw new InvalidRequestException("model", "missing (expected: a model with at least a checkpoint)");
        }
        ModelChoice model = model(r);
        requireUsablePrompt("prompt", r.getPrompt());
        requireUsablePrompt("negative_prompt", r.getNegativePrompt());
        Integer width = r.hasWidth() ? size("width", r.getWidth()) : null;
        Integer height = r.hasHeight() ? size("height", r.getHeight()) : null;
        int batch = r.hasBatchSize() ? range("batch_size", r.getBatchSize(), 1, MAX_BATCH) : 1;
        long seed = r.hasSeed() ? r.getSeed() : random.nextLong() & Long.MAX_VALUE;
        int steps = r.hasSteps() ? range("steps", r.getSteps(), 1, MAX_STEPS) : 20;
        float cfg = r.hasCfg() ? cfg(r.getCfg()) : 8.0f;
        Named<Sampler> sampler = sampler(r.hasSampler() ? r.getSampler() : "euler");
        Named<Scheduler> scheduler = scheduler(r.hasScheduler() ? r.getScheduler() : "normal");
        double denoise = r.hasDenoise() ? denoise(r.getDenoise()) : 1.0;
        int clipSkip = r.hasClipSkip() ? clipSkip(r.getClipSkip()) : 0;
        InitInput init = r.hasInit() ? init(r) : null;
        if (init == null && denoise < 1.0) {
            throw new InvalidRequestException("denoise", denoise + " (expected: 1.0 without an init image or latent: "
                    + "a lower denoise only makes sense when starting from one)");
        }
        if (init instanceof LatentInput latent && r.hasBatchSize() && r.getBatchSize() != latent.shape()[0]) {
            throw new InvalidRequestException("batch_size", r.getBatchSize() + " (expected: " + latent.shape()[0]
                    + ", the init latent's batch)");
        }
        if (init instanceof LatentInput latent) {
            batch = latent.shape()[0];
        }
        if (init == null && (width == null || height == null)) {
            // a model made for another size than its family's (the 64x64 demo model) says so in its metadata
            var recommended = cards.read(model.checkpoint()).recommendedSize();
            if (recommended.isPresent()) {
                width = width != null ? width : recommended.get().width();
                height = height != null ? height : recommended.get().height();
            }
        }
        return new GenerateCommand(model, r.getPrompt(), r.getNegativePrompt(), width, height, batch, seed, steps, cfg, sampler,
                scheduler, denoise, clipSkip, init, sdxl(r), previews(r), !r.getOutput().hasEmbedParameters()
                || r.getOutput().getEmbedParameters(), r.getOutput().getIncludeLatent(),
                SchedulingFields.of(r.hasScheduling(), r.getScheduling()));
    }

    private ModelChoice model(GenerateRequest r) {
        var spec = r.getModel();
        var checkpoint = models.resolve(ModelKind.CHECKPOINT, spec.getCheckpoint(), "model.checkpoint");
        if (spec.getLorasCount() > MAX_LORAS) {
            throw new InvalidRequestException("model.loras", spec.getLorasCount() + " LoRAs (expected: at most " + MAX_LORAS + ")");
        }
        List<LoraChoice> loras = new ArrayList<>();
        for (int i = 0; i < spec.getLorasCount(); i++) {
            LoraSpec l = spec.getLoras(i);
            String field = "model.loras[" + i + "]";
            var path = models.resolve(ModelKind.LORA, l.getName(), field + ".name");
            float sm = l.hasStrengthModel() ? strength(field + ".strength_model", l.getStrengthModel()) : 1f;
            float sc = l.hasStrengthClip() ? strength(field + ".strength_clip", l.getStrengthClip()) : sm;
            loras.add(new LoraChoice(l.getName(), path, sm, sc));
        }
        var merge = spec.hasMerge() ? merges.forGenerate(spec.getMerge(), "model.merge") : null;
        var vae = spec.getVae().isEmpty() ? null : models.resolve(ModelKind.VAE, spec.getVae(), "model.vae");
        return new ModelChoice(spec.getCheckpoint(), checkpoint, merge, loras, spec.getVae().isEmpty() ? null : spec.getVae(), vae,
                spec.hasSampling() ? sampling(spec.getSampling()) : null);
    }

    private static SamplingSettings sampling(ModelSamplingSpec s) {
        Prediction prediction = switch (s.getPrediction()) {
            case EPS -> Prediction.EPS;
            case V_PREDICTION -> Prediction.V_PREDICTION;
            case PREDICTION_UNSPECIFIED, UNRECOGNIZED -> throw new InvalidRequestException("model.sampling.prediction",
                    s.getPredictionValue() + " (expected: EPS or V_PREDICTION)");
        };
        return new SamplingSettings(prediction, s.getZsnr());
    }

    private InitInput init(GenerateRequest r) {
        var init = r.getInit();
        return switch (init.getSourceCase()) {
            case IMAGE -> {
                if (init.getImage().isEmpty()) {
                    throw new InvalidRequestException("init.image", "empty (expected: PNG or JPEG bytes)");
                }
                Resize.Mode mode = init.getResize() == ResizeMode.RESIZE_MODE_STRETCH ? Resize.Mode.STRETCH : Resize.Mode.CROP;
                byte[] bytes = init.getImage().toByteArray();
                yield new ImageInput(bytes, ImageCodec.probe(bytes), mode);
            }
            case LATENT -> latents.read(init.getLatent().toByteArray(), "init.latent");
            case SOURCE_NOT_SET -> throw new InvalidRequestException("init", "set but empty (expected: image or latent)");
        };
    }

    private SdxlSize sdxl(GenerateRequest r) {
        if (!r.hasSdxl()) {
            return null;
        }
        var s = r.getSdxl();
        return new SdxlSize(
                s.hasOriginalWidth() ? range("sdxl.original_width", s.getOriginalWidth(), 1, 16384) : null,
                s.hasOriginalHeight() ? range("sdxl.original_height", s.getOriginalHeight(), 1, 16384) : null,
                s.hasCropTop() ? range("sdxl.crop_top", s.getCropTop(), 0, 16384) : 0,
                s.hasCropLeft() ? range("sdxl.crop_left", s.getCropLeft(), 0, 16384) : 0,
                s.hasTargetWidth() ? range("sdxl.target_width", s.getTargetWidth(), 1, 16384) : null,
                s.hasTargetHeight() ? range("sdxl.target_height", s.getTargetHeight(), 1, 16384) : null);
    }

    private Previews previews(GenerateRequest r) {
        var p = r.getPreview();
        int every = p.hasEveryNSteps() ? range("preview.every_n_steps", p.getEveryNSteps(), 0, MAX_STEPS) : 5;
        int max = p.hasMaxSize() ? range("preview.max_size", p.getMaxSize(), 8, 1024) : 256;
        return new Previews(every, p.getFormat() == ImageFormat.IMAGE_FORMAT_PNG, max);
    }

    private Named<Sampler> sampler(String name) {
        return plugins.samplers().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("sampler", QuotedValue.of(name) + " (expected: one of " + plugins.samplerNames() + ")"));
    }

    private Named<Scheduler> scheduler(String name) {
        return plugins.schedulers().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("scheduler", QuotedValue.of(name) + " (expected: one of " + plugins.schedulerNames() + ")"));
    }

    static int size(String field, int v) {
        if (v % 8 != 0) {
            throw new InvalidRequestException(field, Integer.toUnsignedString(v) + " (expected: a multiple of 8)");
        }
        return range(field, v, MIN_SIZE, MAX_SIZE);
    }

    static int range(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new InvalidRequestException(field, Integer.toUnsignedString(v) + " (expected: " + min + " to " + max + ")");
        }
        return v;
    }

    private static float cfg(float v) {
        if (!Float.isFinite(v) || v < 0 || v > MAX_CFG) {
            throw new InvalidRequestException("cfg", v + " (expected: 0 to " + (int) MAX_CFG + ")");
        }
        return v;
    }

    private static double denoise(float v) {
        if (!Float.isFinite(v) || v <= 0 || v > 1) {
            throw new InvalidRequestException("denoise", v + " (expected: greater than 0 and at most 1)");
        }
        // int(steps / denoise) must see the 0.6 the user wrote, not 0.6000000238: 6 / that is 9.99...
        return RequestDecimal.of(v);
    }

    private static float strength(String field, float v) {
        if (!Float.isFinite(v) || Math.abs(v) > MAX_LORA_STRENGTH) {
            throw new InvalidRequestException(field, v + " (expected: -10 to 10)");
        }
        return v;
    }

    /** ComfyUI's form (-1, -2, ...) as is; AUTOMATIC1111's (1, 2, ...) as its negative; 0 for the default. */
    static int clipSkip(int v) {
        if (v < -48 || v > 48) {
            throw new InvalidRequestException("clip_skip", v + " (expected: -1 to -48 as in ComfyUI, or 1 to 48 as in AUTOMATIC1111)");
        }
        return v > 0 ? -v : v;
    }

    private static void requireUsablePrompt(String field, String prompt) {
        if (prompt.length() > MAX_PROMPT_CHARS) {
            throw new InvalidRequestException(field, prompt.length() + " characters (expected: at most " + MAX_PROMPT_CHARS + ")");
        }
        PromptWeights.check(prompt, field);
    }
}
