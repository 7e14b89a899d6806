package io.stipple.app.grpc;

import io.stipple.app.models.ModelCache;
import io.stipple.engine.checkpoint.CheckpointOpener;

/** Builds the service's model assembler over the model cache. */
public final class ModelAssemblerFactory {
    private final ModelCache cache;

    public ModelAssemblerFactory(ModelCache cache) {
        this.cache = cache;
    }

    ModelAssembler create() {
        return new ModelAssembler(cache);
    }

    CheckpointOpener opener() {
        return cache.opener();
    }
}
