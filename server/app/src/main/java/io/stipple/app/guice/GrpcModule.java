package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import io.grpc.protobuf.services.HealthStatusManager;
import io.stipple.app.grpc.MergeService;
import io.stipple.app.grpc.ModelAssemblerFactory;
import io.stipple.app.grpc.StatusMapper;
import io.stipple.app.grpc.StippleService;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.metrics.ServerMetrics;
import io.stipple.app.models.FileHashes;
import io.stipple.app.models.ModelCache;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;

/** The gRPC services: Stipple, health. */
public final class GrpcModule extends AbstractModule {
    @Provides
    @Singleton
    StatusMapper statuses() {
        return new StatusMapper();
    }

    @Provides
    @Singleton
    HealthStatusManager health() {
        return new HealthStatusManager();
    }

    @Provides
    @Singleton
    MergeService merges(ModelRepository models, ModelCache cache, JobQueue queue, StatusMapper statuses) {
        return new MergeService(models, cache, queue, statuses);
    }

    @Provides
    @Singleton
    StippleService service(PluginRegistry plugins, ModelRepository models, JobQueue queue, StatusMapper statuses, ModelCache cache,
            FileHashes hashes, MergeService merges, ServerMetrics metrics, @Named("version") String version) {
        return new StippleService(plugins, models, queue, statuses, new ModelAssemblerFactory(cache, plugins.loraAdapters()), hashes, merges,
                metrics, version);
    }
}
