package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.stipple.app.metrics.ServerMetrics;

/** The server's metrics registry, with the JVM's metrics in it. */
public final class MetricsModule extends AbstractModule {
    @Provides
    @Singleton
    ServerMetrics metrics() {
        return ServerMetrics.withJvm();
    }
}
