package io.stipple.cli;

import io.stipple.app.config.Backend;
import io.stipple.app.config.ConfigFile;
import io.stipple.app.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that configure a server, shared by serve and the embedded mode of the other commands. */
final class ServerOptions {
    @Option(names = "--models", paramLabel = "DIR", description = "Models folder with checkpoints/, loras/, vae/ (default: the distribution's models/).")
    Path models;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins folder (default: the distribution's plugins/).")
    Path plugins;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda|cuda-emulated", description = "Tensor backend (default: auto: CUDA when a usable GPU is present, else the CPU; cuda-emulated runs the CUDA kernels on the host, a slow testing aid).")
    String backend;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file: port, host, models, plugins, backend, queue, cached_models, shutdown_grace_seconds.")
    Path config;

    ServerConfig toConfig() {
        ServerConfig c = ServerConfig.defaults(Distribution.home());
        if (config != null) {
            try {
                c = ConfigFile.apply(config, c);
            } catch (IOException e) {
                throw new UserError("cannot read --config " + config + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        ServerConfig.Builder b = c.toBuilder();
        if (models != null) {
            b.modelsDir(models.toAbsolutePath());
        }
        if (plugins != null) {
            b.pluginsDir(plugins.toAbsolutePath());
        }
        if (backend != null) {
            try {
                b.backend(Backend.parse(backend));
            } catch (IllegalArgumentException e) {
                throw new UserError("--" + e.getMessage());
            }
        }
        return b.build();
    }
}
