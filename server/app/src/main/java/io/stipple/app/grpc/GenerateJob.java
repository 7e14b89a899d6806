package io.stipple.app.grpc;

import com.google.protobuf.ByteString;
import io.stipple.app.grpc.GenerateCommand.ImageInput;
import io.stipple.app.grpc.GenerateCommand.LatentInput;
import io.stipple.app.jobs.Cancellation;
import io.stipple.app.jobs.Job;
import io.stipple.app.jobs.JobCancelledException;
import io.stipple.app.metrics.ServerMetrics;
import io.stipple.app.models.FileHashes;
import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.image.ImageCodec;
import io.stipple.engine.image.PngEncoder;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.pipeline.A1111Parameters;
import io.stipple.engine.pipeline.GenerationListener;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.GenerationResult;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.LatentFile;
import io.stipple.engine.pipeline.Pipeline;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.Result;
import io.stipple.proto.v1.Timings;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Generate call's work, run by the job queue: assemble the model, run the pipeline, stream the results. */
final class GenerateJob extends Job {
    private final GenerateCommand command;
    private final GenerateEvents events;
    private final ModelAssembler models;
    private final FileHashes hashes;
    private final CheckpointFormat latentFormat;
    private final String version;
    private final ServerMetrics metrics;

    GenerateJob(GenerateCommand command, GenerateEvents events, ModelAssembler models, FileHashes hashes,
            CheckpointFormat latentFormat, ServerMetrics metrics, String version) {
        super(Kind.GENERATE, command.scheduling());
        this.command = command;
        this.events = events;
        this.models = models;
        this.hashes = hashes;
        this.latentFormat = latentFormat;
        this.version = version;
        this.metrics = metrics;
    }

    @Override
    protected void positionChanged(int jobsAhead) {
        events.queued(jobsAhead, id());
    }

    @Override
    protected void endCall(Cancellation reason) {
        events.fail(new JobCancelledException(reason));
    }

    @Override
    public String outcome() {
        return events.outcome();
    }

    @Override
    public long heldBytes() {
        return switch (command.init()) {
            case ImageInput image -> image.bytes().length;
            case LatentInput latent -> latent.values().length * 4L;
            case null -> 0;
        };
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        try {
            checkCancelled();
            var assembled = models.assemble(command.model());
            StableDiffusionModel model = assembled.model();
            long loaded = System.nanoTime();
            checkCancelled();
            GenerationRequest request = request(model);
            GenerationResult result = Pipeline.run(model, request, command.sampler().extension(), command.scheduler().extension(),
                    listener(request));
            List<String> warnings = new ArrayList<>(assembled.warnings());
            warnings.addAll(result.warnings());
            String parameters = parameters(model, request);
            for (int i = 0; i < result.images().size(); i++) {
                RgbImage img = result.images().get(i);
                byte[] png = PngEncoder.encode(img, command.embedParameters() ? Map.of("parameters", parameters) : Map.of());
                events.image(Image.newBuilder().setIndex(i).setPng(ByteString.copyFrom(png)).setSeed(request.seed())
                        .setWidth(img.width()).setHeight(img.height()).setParameters(parameters).build());
            }
            Result.Builder done = Result.newBuilder().setJobId(id()).setSeed(request.seed()).setModelFamily(model.family().id())
                    .addAllWarnings(warnings)
                    .setTimings(Timings.newBuilder()
                            .setQueuedMs(millis(started - createdNanos()))
                            .setLoadMs(millis(loaded - started))
                            .setEncodeMs(result.timings().encodeMillis())
                            .setSampleMs(result.timings().sampleMillis())
                            .setDecodeMs(result.timings().decodeMillis())
                            .setTotalMs(millis(System.nanoTime() - createdNanos())));
            if (command.includeLatent()) {
                done.setLatent(ByteString.copyFrom(latentBytes(result.latent())));
            }
            events.result(done.build());
        } catch (Throwable t) {
            events.fail(t);
        }
    }

    private GenerationListener listener(GenerationRequest request) {
        String model = stem(command.model().checkpointName());
        return new GenerationListener() {
            private long lastElapsedMillis;

            @Override
            public void onProgress(int step, int total, float sigma, long elapsedMillis) {
                metrics.step(model, request.width(), request.height(), (elapsedMillis - lastElapsedMillis) / 1000.0);
                lastElapsedMillis = elapsedMillis;
                checkCancelled();
                reportProgress(step, total);
                events.progress(step, total, sigma, elapsedMillis);
            }

            @Override
            public boolean wantsPreview(int step) {
                return events.wantsPreview();
            }

            @Override
            public void onPreview(int step, RgbImage preview) {
                byte[] data = command.previews().png() ? PngEncoder.encode(preview, Map.of()) : ImageCodec.encodeJpeg(preview, 0.85f);
                events.preview(step, command.previews().png(), data, preview.width(), preview.height());
            }
        };
    }

    /**
     * The engine's request: sizes from the request (or the checkpoint's recommended size, which the
     * validator filled in), the init image or latent, or the family's native size.
     */
    private GenerationRequest request(StableDiffusionModel model) {
        int width;
        int height;
        GenerationRequest.Init init = null;
        int native_ = model.family().nativeSize();
        switch (command.init()) {
            case null -> {
                width = command.width() != null ? command.width() : native_;
                height = command.height() != null ? command.height() : native_;
            }
            case ImageInput image -> {
                RgbImage img = ImageCodec.decode(image.bytes());
                // a side not asked for is the image's own, cropped to a multiple of 8 as ComfyUI's VAEEncode does
                RgbImage cropped = Resize.cropToMultiple(img, 8);
                if (command.width() == null && command.height() == null) {
                    img = cropped;
                }
                width = command.width() != null ? command.width() : cropped.width();
                height = command.height() != null ? command.height() : cropped.height();
                GenerateRequestValidator.range("init.image width", width, GenerateRequestValidator.MIN_SIZE, GenerateRequestValidator.MAX_SIZE);
                GenerateRequestValidator.range("init.image height", height, GenerateRequestValidator.MIN_SIZE, GenerateRequestValidator.MAX_SIZE);
                init = new GenerationRequest.FromImage(img, image.mode());
            }
            case LatentInput latent -> {
                width = latent.shape()[3] * 8;
                height = latent.shape()[2] * 8;
                if ((command.width() != null && command.width() != width) || (command.height() != null && command.height() != height)) {
                    throw new InvalidRequestException("width", "the init latent is " + width + "x" + height
                            + " (expected: width and height unset or equal to it)");
                }
                init = new GenerationRequest.FromLatent(model.ops().fromArray(latent.values(), Shape.of(latent.shape())));
            }
        }
        int layers = model.textEncoder().layers();
        if (-command.clipSkip() > layers) {
            throw new InvalidRequestException("clip_skip", command.clipSkip() + " (expected: -1 to -" + layers + ", or 1 to " + layers
                    + ": the text model has " + layers + " layers)");
        }
        SdxlSizeConditioning sdxl = null;
        if (model.family() == ModelFamily.SDXL && command.sdxl() != null) {
            var s = command.sdxl();
            sdxl = new SdxlSizeConditioning(or(s.originalWidth(), width), or(s.originalHeight(), height), s.cropTop(), s.cropLeft(),
                    or(s.targetWidth(), width), or(s.targetHeight(), height));
        }
        return new GenerationRequest(command.prompt(), command.negativePrompt(), width, height, command.batchSize(), command.seed(),
                command.steps(), command.cfg(), command.sampler().name(), command.scheduler().name(), command.denoise(),
                command.clipSkip(), init, sdxl, command.previews().everyNSteps(), command.previews().maxSize());
    }

    private String parameters(StableDiffusionModel model, GenerationRequest r) {
        String name = stem(command.model().checkpointName());
        return A1111Parameters.format(r.prompt(), r.negativePrompt(), r.steps(), r.sampler(), r.scheduler(), r.cfg(), r.seed(),
                r.width(), r.height(), name, hashes.shortHash(command.model().checkpoint()), r.denoise(),
                r.clipSkip() < 0 ? -r.clipSkip() : 1,
                command.model().loras().stream().map(l -> new A1111Parameters.Lora(stem(l.name()), hashes.shortHash(l.path()),
                        l.strengthModel(), l.strengthClip())).toList(),
                "Stipple " + version);
    }

    private byte[] latentBytes(Tensor latent) throws IOException {
        Path tmp = Files.createTempFile("stipple-out-", ".latent");
        try {
            LatentFile.write(latentFormat, tmp, latent);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String stem(String name) {
        String file = Path.of(name).getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static int or(Integer v, int fallback) {
        return v != null ? v : fallback;
    }

    private static long millis(long nanos) {
        return Math.max(0, nanos / 1_000_000);
    }
}
