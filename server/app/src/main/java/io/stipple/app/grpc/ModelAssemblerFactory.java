package io.stipple.app.grpc;

import io.stipple.app.models.ModelCache;
import io.stipple.engine.checkpoint.CheckpointOpener;

/** Builds the service's model assembler over the model cache. */
public final class ModelAssemblerFactory {
    private final ModelCache cache;
    private final java.util.List<io.stipple.plugin.api.LoraAdapter> adapters;

    public ModelAssemblerFactory(ModelCache cache, java.util.List<io.stipple.plugin.api.LoraAdapter> adapters) {
        this.cache = cache;
        this.adapters = adapters;
    }

    ModelAssembler create() {
        return new ModelAssembler(cache, adapters);
    }

    ModelCache cache() {
        return cache;
    }

    CheckpointOpener opener() {
        return cache.opener();
    }
}
