package io.stipple.app.grpc;

import io.stipple.app.grpc.GenerateCommand.ModelChoice;
import io.stipple.app.models.ModelCache;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.StableDiffusionModel;
import java.io.IOException;
import java.util.List;

/**
 * The model a Generate request asks for: the cached checkpoint (merged and given another VAE when
 * asked), then the request's LoRAs as an overlay.
 */
final class ModelAssembler {
    /** A model ready to sample with, and what the user should know about how it was made. */
    record Assembled(StableDiffusionModel model, List<String> warnings) {}

    private final ModelCache cache;

    ModelAssembler(ModelCache cache) {
        this.cache = cache;
    }

    Assembled assemble(ModelChoice choice) throws IOException {
        if (choice.merge() != null) {
            throw new InvalidRequestException("model.merge", "merging on the fly is not available in this build yet");
        }
        if (!choice.loras().isEmpty()) {
            throw new InvalidRequestException("model.loras", "LoRAs are not available in this build yet");
        }
        ModelCache.Entry entry = cache.acquire(new ModelCache.Key(choice.checkpoint(), null, choice.vae()), w -> w);
        return new Assembled(entry.model(), List.of());
    }
}
