package io.stipple.cli;

import com.google.inject.Guice;
import io.stipple.app.plugins.PluginBootstrap;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.engine.checkpoint.CheckpointOpener;
import java.nio.file.Path;

/** The plugins of the distribution, for commands that read model files without a server. */
final class LocalPlugins implements AutoCloseable {
    private final PluginBootstrap bootstrap;
    private final PluginRegistry registry;

    LocalPlugins(Path pluginsDir) {
        this.bootstrap = new PluginBootstrap(pluginsDir, Guice.createInjector());
        this.registry = bootstrap.start();
    }

    PluginRegistry registry() {
        return registry;
    }

    CheckpointOpener opener() {
        return new CheckpointOpener(registry.formats());
    }

    @Override
    public void close() {
        bootstrap.close();
    }
}
