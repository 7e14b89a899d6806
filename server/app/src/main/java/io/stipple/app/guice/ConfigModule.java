package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import io.stipple.app.config.ServerConfig;

/** The server's configuration and version. */
public final class ConfigModule extends AbstractModule {
    private final ServerConfig config;

    public ConfigModule(ServerConfig config) {
        this.config = config;
    }

    @Provides
    ServerConfig config() {
        return config;
    }

    @Provides
    @Singleton
    @Named("version")
    String version() {
        String v = ConfigModule.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
