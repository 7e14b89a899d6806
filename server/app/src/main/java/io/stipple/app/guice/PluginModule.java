package io.stipple.app.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.plugins.PluginBootstrap;
import io.stipple.app.plugins.PluginRegistry;

/** PF4J over the plugins folder; the registry is built when first asked for (in the server's start). */
public final class PluginModule extends AbstractModule {
    @Provides
    @Singleton
    PluginBootstrap bootstrap(ServerConfig config, Injector injector) {
        return new PluginBootstrap(config.pluginsDir(), injector);
    }

    @Provides
    @Singleton
    PluginRegistry registry(PluginBootstrap bootstrap) {
        return bootstrap.start();
    }
}
