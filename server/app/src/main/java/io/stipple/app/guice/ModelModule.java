package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.metrics.ServerMetrics;
import io.stipple.app.models.FileHashes;
import io.stipple.app.models.ModelCache;
import io.stipple.engine.embeddings.EmbeddingLibrary;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.tensor.Ops;

/** The models folder, the model cache and the job queue. */
public final class ModelModule extends AbstractModule {
    /**
     * Waiting jobs may hold an eighth of the heap in request data (init images, at most 64 MiB each):
     * the rest is for the weights and the running job.
     */
    static long waitingBytes() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    @Provides
    @Singleton
    ModelRepository repository(ServerConfig config) {
        return new ModelRepository(config.modelsDir(), config.allowAbsolutePaths());
    }

    @Provides
    @Singleton
    CheckpointOpener opener(PluginRegistry plugins) {
        return new CheckpointOpener(plugins.formats());
    }

    @Provides
    @Singleton
    ModelCache cache(CheckpointOpener opener, Ops ops, ServerConfig config, ServerMetrics metrics) {
        return new ModelCache(opener, ops, config.cachedModels(), config.cacheBytes(), metrics,
                new EmbeddingLibrary(config.modelsDir().resolve("embeddings"), opener));
    }

    @Provides
    @Singleton
    FileHashes hashes() {
        return new FileHashes();
    }

    @Provides
    @Singleton
    JobQueue queue(ServerConfig config, ServerMetrics metrics) {
        return new JobQueue(config.queueCapacity(), waitingBytes(), metrics);
    }
}
