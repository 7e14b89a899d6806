package io.stipple.app.plugins;

import com.google.inject.Injector;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.pf4j.DefaultPluginManager;
import org.pf4j.ExtensionFactory;
import org.pf4j.PluginManager;
import org.pf4j.PluginWrapper;

/**
 * Starts PF4J over the plugins folder (the bundled plugin jars and the user's, loaded alike) and
 * collects their extensions into a {@link PluginRegistry}. Extensions on the application's own class
 * path (tests, embedded use) are found too, as PF4J's "system" extensions.
 */
public final class PluginBootstrap implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginBootstrap.class.getName());

    private final PluginManager manager;

    public PluginBootstrap(Path pluginsDir, Injector injector) {
        List<Path> roots = Files.isDirectory(pluginsDir) ? List.of(pluginsDir) : List.of();
        if (roots.isEmpty()) {
            LOG.log(Level.WARNING, "plugins folder " + pluginsDir + " does not exist: only built-in extensions are available");
        }
        this.manager = new DefaultPluginManager(roots) {
            @Override
            protected ExtensionFactory createExtensionFactory() {
                return new GuiceExtensionFactory(injector);
            }
        };
    }

    /** Loads and starts every plugin and returns what they supply. */
    public PluginRegistry start() {
        manager.loadPlugins();
        manager.startPlugins();
        for (PluginWrapper p : manager.getStartedPlugins()) {
            LOG.log(Level.INFO, "plugin " + p.getPluginId() + " " + p.getDescriptor().getVersion() + " started from " + p.getPluginPath());
        }
        for (PluginWrapper p : manager.getPlugins()) {
            if (p.getPluginState().isFailed()) {
                LOG.log(Level.WARNING, "plugin " + p.getPluginId() + " failed to start: " + p.getFailedException());
            }
        }
        PluginRegistry registry = new PluginRegistry(named(Sampler.class, Sampler::name), named(Scheduler.class, Scheduler::name),
                named(CheckpointFormat.class, CheckpointFormat::name), named(LoraAdapter.class, LoraAdapter::name));
        LOG.log(Level.INFO, "samplers " + registry.samplerNames() + ", schedulers " + registry.schedulerNames());
        return registry;
    }

    private <T> List<Named<T>> named(Class<T> type, Function<T, String> name) {
        List<Named<T>> out = new ArrayList<>();
        for (T extension : manager.getExtensions(type)) {
            PluginWrapper plugin = manager.whichPlugin(extension.getClass());
            out.add(new Named<>(name.apply(extension), plugin == null ? "system" : plugin.getPluginId(), extension));
        }
        return out;
    }

    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }
}
