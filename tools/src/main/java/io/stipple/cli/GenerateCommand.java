package io.stipple.cli;

import com.google.protobuf.ByteString;
import io.stipple.client.GenerationListener;
import io.stipple.client.GenerationOutput;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.InitSource;
import io.stipple.proto.v1.LoraSpec;
import io.stipple.proto.v1.MergeMode;
import io.stipple.proto.v1.MergeRecipe;
import io.stipple.proto.v1.ModelSamplingSpec;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.Prediction;
import io.stipple.proto.v1.OutputOptions;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generates images, embedded (no server needed) or on a server (--server HOST:PORT).",
            "Writes PNGs with the parameters in AUTOMATIC1111's format; --save-latent writes ComfyUI's .latent."})
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Checkpoint (.safetensors or .ckpt): a file, or a name in the models folder's checkpoints/.")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "Positive prompt; ComfyUI's (word:1.2) weights apply.")
    String prompt;

    @Option(names = "--negative", paramLabel = "TEXT", defaultValue = "", description = "Negative prompt.")
    String negative;

    @Option(names = "--seed", paramLabel = "N", description = "Seed (default: random, printed).")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Sampler steps (default: 20).")
    Integer steps;

    @Option(names = "--cfg", paramLabel = "F", description = "Classifier-free guidance scale (default: 8).")
    Float cfg;

    @Option(names = "--sampler", paramLabel = "NAME", description = "Sampler, ComfyUI's names (default: euler).")
    String sampler;

    @Option(names = "--scheduler", paramLabel = "NAME", description = "Scheduler, ComfyUI's names (default: normal).")
    String scheduler;

    @Option(names = "--width", paramLabel = "W", description = "Width in pixels, a multiple of 8 (default: the size the model's metadata recommends, else 512 for SD1.x, 1024 for SDXL).")
    Integer width;

    @Option(names = "--height", paramLabel = "H", description = "Height in pixels, a multiple of 8 (default: as for --width).")
    Integer height;

    @Option(names = "--batch", paramLabel = "N", description = "Images generated together (default: 1).")
    Integer batch;

    @Option(names = "--clip-skip", paramLabel = "N", description = "CLIP layer: -1 last, -2 penultimate (ComfyUI), or 1, 2 (AUTOMATIC1111).")
    Integer clipSkip;

    @Option(names = "--lora", paramLabel = "FILE:STRENGTH_MODEL[:STRENGTH_CLIP]", description = "A LoRA and its strengths; repeatable, applied in order.")
    List<String> loras = new ArrayList<>();

    @Option(names = "--denoise", paramLabel = "F", description = "Image-to-image strength in (0, 1] (with --init-image or --init-latent).")
    Float denoise;

    @Option(names = "--init-image", paramLabel = "FILE", description = "Start from this PNG or JPEG.")
    Path initImage;

    @Option(names = "--init-latent", paramLabel = "FILE.latent", description = "Start from this ComfyUI .latent file.")
    Path initLatent;

    @Option(names = "--merge-with", paramLabel = "FILE", description = "Blend this checkpoint's UNet in first (ModelMergeSimple; CLIP and VAE stay --model's).")
    String mergeWith;

    @Option(names = "--merge-ratio", paramLabel = "R", description = "With --merge-with: UNet = R·model + (1−R)·other (default: 0.5).")
    Float mergeRatio;

    @Option(names = "--vae", paramLabel = "FILE", description = "Use this VAE instead of the checkpoint's.")
    String vae;

    @Option(names = "--prediction", paramLabel = "eps|v_prediction",
            description = "What the model predicts, as ComfyUI's ModelSamplingDiscrete sets it (default: as the checkpoint says).")
    String prediction;

    @Option(names = "--zsnr", description = "With --prediction: the schedule rescaled to zero terminal SNR.")
    boolean zsnr;

    @Option(names = "--out", paramLabel = "FILE.png", description = "Output PNG (with a batch: FILE_b0.png, FILE_b1.png, ...; default: stipple_SEED.png).")
    Path out;

    @Option(names = "--save-latent", paramLabel = "FILE.latent", description = "Also write the sampled latent as a ComfyUI .latent file.")
    Path saveLatent;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up (and cancel the job) after this long.")
    Long timeout;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        if (initImage != null && initLatent != null) {
            throw new UserError("--init-image and --init-latent: give one of them");
        }
        if (mergeRatio != null && mergeWith == null) {
            throw new UserError("--merge-ratio needs --merge-with");
        }
        if (out != null && !out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw new UserError("--out: " + out + " (expected: a .png file name)");
        }
        Logging.quiet();
        try (Connection connection = Connection.open(remote, serverOptions)) {
            GenerateRequest request = request(connection.embedded());
            var client = timeout == null ? connection.client() : connection.client().withDeadline(Duration.ofSeconds(timeout));
            ProgressBar bar = ProgressBar.forTerminal();
            var generation = client.generateAsync(request, new GenerationListener() {
                @Override
                public void onProgress(Progress p) {
                    bar.update(p.getStep(), p.getTotalSteps(), p.getElapsedMs());
                }
            });
            GenerationOutput output = generation.await(Duration.ofDays(365));
            bar.finish();
            write(output);
            return 0;
        }
    }

    private GenerateRequest request(boolean embedded) throws IOException {
        ModelSpec.Builder m = ModelSpec.newBuilder().setCheckpoint(modelName(model, embedded));
        for (String l : loras) {
            m.addLoras(lora(l, embedded));
        }
        if (mergeWith != null) {
            MergeRecipe.Builder recipe = MergeRecipe.newBuilder().setMode(MergeMode.MERGE_MODE_WEIGHTED_SUM)
                    .setModelB(modelName(mergeWith, embedded));
            if (mergeRatio != null) {
                recipe.setRatio(mergeRatio);
            }
            m.setMerge(recipe);
        }
        if (vae != null) {
            m.setVae(modelName(vae, embedded));
        }
        if (prediction != null || zsnr) {
            m.setSampling(ModelSamplingSpec.newBuilder().setPrediction(switch (prediction == null ? "" : prediction) {
                case "eps" -> Prediction.EPS;
                case "v_prediction" -> Prediction.V_PREDICTION;
                default -> throw new UserError("--prediction: " + (prediction == null ? "missing with --zsnr" : prediction)
                        + " (expected: eps or v_prediction)");
            }).setZsnr(zsnr));
        }
        GenerateRequest.Builder r = GenerateRequest.newBuilder().setModel(m).setPrompt(prompt).setNegativePrompt(negative)
                .setPreview(PreviewOptions.newBuilder().setEveryNSteps(0))
                .setOutput(OutputOptions.newBuilder().setIncludeLatent(saveLatent != null));
        if (seed != null) {
            r.setSeed(seed);
        }
        if (steps != null) {
            r.setSteps(steps);
        }
        if (cfg != null) {
            r.setCfg(cfg);
        }
        if (sampler != null) {
            r.setSampler(sampler);
        }
        if (scheduler != null) {
            r.setScheduler(scheduler);
        }
        if (width != null) {
            r.setWidth(width);
        }
        if (height != null) {
            r.setHeight(height);
        }
        if (batch != null) {
            r.setBatchSize(batch);
        }
        if (clipSkip != null) {
            r.setClipSkip(clipSkip);
        }
        if (denoise != null) {
            r.setDenoise(denoise);
        }
        if (initImage != null) {
            r.setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(read(initImage, "--init-image"))));
        } else if (initLatent != null) {
            r.setInit(InitSource.newBuilder().setLatent(ByteString.copyFrom(read(initLatent, "--init-latent"))));
        }
        return r.build();
    }

    /** "file.safetensors:0.8:1.0": the strengths are the trailing numbers, so paths may contain colons. */
    static LoraSpec lora(String spec, boolean embedded) {
        String[] parts = spec.split(":");
        List<Float> numbers = new ArrayList<>();
        int end = parts.length;
        while (end > 1 && numbers.size() < 2 && isNumber(parts[end - 1])) {
            numbers.addFirst(Float.parseFloat(parts[end - 1]));
            end--;
        }
        if (numbers.isEmpty()) {
            throw new UserError("--lora: " + spec + " (expected: FILE:STRENGTH_MODEL[:STRENGTH_CLIP])");
        }
        String file = String.join(":", java.util.Arrays.copyOfRange(parts, 0, end));
        LoraSpec.Builder b = LoraSpec.newBuilder().setName(modelName(file, embedded)).setStrengthModel(numbers.get(0));
        b.setStrengthClip(numbers.size() > 1 ? numbers.get(1) : numbers.get(0));
        return b.build();
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return !s.isBlank();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Embedded: an existing file is passed as an absolute path; otherwise (and on a server) as a name. */
    static String modelName(String value, boolean embedded) {
        Path p = Path.of(value);
        return embedded && Files.isRegularFile(p) ? p.toAbsolutePath().toString() : value;
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void write(GenerationOutput output) throws IOException {
        long usedSeed = output.result().getSeed();
        Path target = out != null ? out : Path.of("stipple_" + Long.toUnsignedString(usedSeed) + ".png");
        List<Image> images = output.images();
        for (Image image : images) {
            Path file = images.size() == 1 ? target : batchName(target, image.getIndex());
            AtomicFiles.write(file, image.getPng().toByteArray());
            System.out.println(file);
        }
        if (saveLatent != null) {
            AtomicFiles.write(saveLatent, output.result().getLatent().toByteArray());
            System.out.println(saveLatent);
        }
        for (String w : output.result().getWarningsList()) {
            System.err.println("warning: " + w);
        }
        System.err.println(summary(prompt, images, output.result()));
    }

    /** What was drawn and how long it took: 'drew "a cat", 64x64, seed 42 (sd15) in 1.2 s (load 0.3 s, sampling 0.8 s, decode 0.1 s)'. */
    static String summary(String prompt, List<Image> images, io.stipple.proto.v1.Result result) {
        var t = result.getTimings();
        Image first = images.getFirst();
        return String.format(java.util.Locale.ROOT, "drew \"%s\", %dx%d%s, seed %s (%s) in %.1f s (load %.1f s, sampling %.1f s, decode %.1f s)",
                prompt, first.getWidth(), first.getHeight(), images.size() > 1 ? ", a batch of " + images.size() : "",
                Long.toUnsignedString(result.getSeed()), result.getModelFamily(),
                t.getTotalMs() / 1000.0, t.getLoadMs() / 1000.0, t.getSampleMs() / 1000.0, t.getDecodeMs() / 1000.0);
    }

    static Path batchName(Path target, int index) {
        String name = target.getFileName().toString();
        String stem = name.substring(0, name.length() - 4);
        return target.resolveSibling(stem + "_b" + index + ".png");
    }
}
