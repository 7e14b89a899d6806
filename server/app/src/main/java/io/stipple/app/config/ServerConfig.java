package io.stipple.app.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server is configured with, from flags and an optional properties file.
 *
 * @param host address to listen on (127.0.0.1 by default: put a proxy or --host 0.0.0.0 in front to serve a network)
 * @param port gRPC port; 0 picks a free one
 * @param modelsDir holds checkpoints/, loras/ and vae/, laid out like ComfyUI's models folder
 * @param pluginsDir plugin jars, the bundled ones and the user's
 * @param queueCapacity jobs that may wait; more are refused with RESOURCE_EXHAUSTED
 * @param cachedModels loaded models kept in memory
 * @param allowAbsolutePaths whether requests may name model files outside the models folder (the embedded CLI)
 * @param shutdownGrace how long running calls get to finish on shutdown
 */
public record ServerConfig(
        String host,
        int port,
        Path modelsDir,
        Path pluginsDir,
        Backend backend,
        int queueCapacity,
        int cachedModels,
        boolean allowAbsolutePaths,
        Duration shutdownGrace) {

    public static final int DEFAULT_PORT = 7860;
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    public static ServerConfig defaults(Path home) {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, home.resolve("models"), home.resolve("plugins"), Backend.AUTO,
                16, 1, false, Duration.ofSeconds(10));
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, modelsDir, pluginsDir, backend, queueCapacity, cachedModels, allowAbsolutePaths, shutdownGrace);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, modelsDir, pluginsDir, backend, queueCapacity, cachedModels, allowAbsolutePaths, shutdownGrace);
    }

    public ServerConfig withModelsDir(Path dir) {
        return new ServerConfig(host, port, dir, pluginsDir, backend, queueCapacity, cachedModels, allowAbsolutePaths, shutdownGrace);
    }

    public ServerConfig withPluginsDir(Path dir) {
        return new ServerConfig(host, port, modelsDir, dir, backend, queueCapacity, cachedModels, allowAbsolutePaths, shutdownGrace);
    }

    public ServerConfig withBackend(Backend b) {
        return new ServerConfig(host, port, modelsDir, pluginsDir, b, queueCapacity, cachedModels, allowAbsolutePaths, shutdownGrace);
    }

    public ServerConfig withQueueCapacity(int n) {
        return new ServerConfig(host, port, modelsDir, pluginsDir, backend, n, cachedModels, allowAbsolutePaths, shutdownGrace);
    }

    public ServerConfig withAllowAbsolutePaths(boolean allow) {
        return new ServerConfig(host, port, modelsDir, pluginsDir, backend, queueCapacity, cachedModels, allow, shutdownGrace);
    }
}
