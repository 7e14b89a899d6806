package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.stipple.app.metrics.DeviceMemoryMetrics;
import io.stipple.app.metrics.ServerMetrics;
import io.stipple.tensor.Ops;

/** The server's metrics registry, with the JVM's metrics and, on a CUDA backend, the device's memory in it. */
public final class MetricsModule extends AbstractModule {
    @Provides
    @Singleton
    ServerMetrics metrics(Ops ops) {
        ServerMetrics metrics = ServerMetrics.withJvm();
        DeviceMemoryMetrics.register(metrics, ops);
        return metrics;
    }
}
