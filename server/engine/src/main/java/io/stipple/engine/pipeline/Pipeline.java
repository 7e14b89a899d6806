package io.stipple.engine.pipeline;

import io.stipple.engine.conditioning.EncodedPrompt;
import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.image.LatentPreview;
import io.stipple.engine.image.Pixels;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.model.vae.TiledVaeDecoder;
import io.stipple.engine.sampling.CfgDenoiser;
import io.stipple.engine.sampling.Conditioning;
import io.stipple.engine.sampling.KSampler;
import io.stipple.engine.sampling.LatentFormat;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.engine.sampling.SigmaSchedule;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.random.InitialNoise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text-to-image and image-to-image, as ComfyUI's default graphs run them: encode both prompts,
 * start from an empty latent or an encoded image, KSampler, VAE decode.
 */
public final class Pipeline {
    private Pipeline() {}

    public static GenerationResult run(StableDiffusionModel model, GenerationRequest request, Sampler sampler,
            Scheduler scheduler, GenerationListener listener) {
        return run(model, request, sampler, scheduler, listener, true);
    }

    /** The same without the VAE decode: the result has the latent and no images (benchmarks, latent-only output). */
    public static GenerationResult runWithoutDecode(StableDiffusionModel model, GenerationRequest request, Sampler sampler,
            Scheduler scheduler, GenerationListener listener) {
        return run(model, request, sampler, scheduler, listener, false);
    }

    private static GenerationResult run(StableDiffusionModel model, GenerationRequest request, Sampler sampler,
            Scheduler scheduler, GenerationListener listener, boolean decode) {
        Ops ops = model.ops();
        LatentFormat format = model.family().latentFormat();
        List<String> warnings = new ArrayList<>();

        long t0 = System.nanoTime();
        EncodedPrompt positive = model.textEncoder().encode(request.prompt(), request.clipSkip());
        EncodedPrompt negative = model.textEncoder().encode(request.negativePrompt(), request.clipSkip());
        warnings.addAll(positive.warnings());
        warnings.addAll(negative.warnings());
        Tensor latent = initialLatent(model, request, ops);
        long t1 = System.nanoTime();

        int latentH = latent.dim(2);
        int latentW = latent.dim(3);
        SdxlSizeConditioning size = request.sdxlSize() != null ? request.sdxlSize()
                : SdxlSizeConditioning.forSize(latentW * 8, latentH * 8);
        Conditioning pos = conditioning(model, positive, size);
        Conditioning neg = conditioning(model, negative, size);
        CfgDenoiser denoiser = new CfgDenoiser(model.denoiser(), pos, neg, request.cfg());
        float[] sigmas = SigmaSchedule.sigmas(scheduler, sampler, model.modelSampling(), request.steps(), request.denoise());
        Tensor noise = ops.fromArray(InitialNoise.prepare(latent.shape().dims(), request.seed()), latent.shape());
        long samplingStart = System.nanoTime();
        Tensor samples = KSampler.sample(denoiser, sampler, sigmas, format, latent, noise, request.seed(),
                (step, total, sigma, x, denoised) -> {
                    listener.onProgress(step, total, sigma, (System.nanoTime() - samplingStart) / 1_000_000);
                    if (request.previewEveryNSteps() > 0 && (step % request.previewEveryNSteps() == 0 || step == total)
                            && listener.wantsPreview(step)) {
                        listener.onPreview(step, LatentPreview.render(denoised, format, request.previewMaxSize()));
                    }
                });
        long t2 = System.nanoTime();

        List<RgbImage> images = decode ? decode(model, samples) : List.of();
        long t3 = System.nanoTime();
        return new GenerationResult(samples, images, sigmas,
                new GenerationResult.Timings(millis(t1 - t0), millis(t2 - t1), millis(t3 - t2)), warnings);
    }

    /** VAE decode, one batch element at a time (a 1024² decode needs gigabytes of activations), tiled beyond 1024². */
    public static List<RgbImage> decode(StableDiffusionModel model, Tensor latent) {
        Ops ops = latent.ops();
        List<RgbImage> images = new ArrayList<>();
        for (int b = 0; b < latent.dim(0); b++) {
            try (TensorScope scope = ops.scope()) {
                images.addAll(Pixels.fromDecoded(TiledVaeDecoder.decode(model.vae(), ops.narrow(latent, 0, b, 1))));
            }
        }
        return images;
    }

    /** VAE encode of an image already at the target size, (1, 4, h/8, w/8). */
    public static Tensor encode(StableDiffusionModel model, RgbImage image) {
        return model.vae().encode(Pixels.toTensor(model.ops(), image));
    }

    private static Tensor initialLatent(StableDiffusionModel model, GenerationRequest request, Ops ops) {
        int scale = model.vae().config().downscale();
        return switch (request.init()) {
            case null -> ops.zeros(Shape.of(request.batchSize(), 4, request.height() / scale, request.width() / scale));
            case GenerationRequest.FromImage img -> {
                RgbImage fitted = Resize.fit(img.image(), request.width(), request.height(), img.mode());
                yield repeat(encode(model, fitted), request.batchSize());
            }
            case GenerationRequest.FromLatent lat -> lat.latent();
        };
    }

    private static Conditioning conditioning(StableDiffusionModel model, EncodedPrompt prompt, SdxlSizeConditioning size) {
        if (model.family() == ModelFamily.SDXL) {
            return new Conditioning(prompt.context(), size.adm(prompt.pooled()));
        }
        return new Conditioning(prompt.context(), null);
    }

    private static Tensor repeat(Tensor t, int batch) {
        if (batch == 1) {
            return t;
        }
        Tensor[] copies = new Tensor[batch];
        Arrays.fill(copies, t);
        return t.ops().concat(0, copies);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
