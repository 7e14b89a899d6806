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
 * @param cachedModels at most this many models loaded at once (0: as many as {@code cacheBytes} holds)
 * @param cacheBytes what loaded models' weights may take in memory (0: 45% of the heap)
 * @param allowAbsolutePaths whether requests may name model files outside the models folder (the embedded CLI)
 * @param shutdownGrace how long running calls get to finish on shutdown
 * @param tls the certificate chain and private key (PEM) to serve TLS with, or null for plaintext
 * @param authTokens a file of bearer tokens, one per line, that every call but health must carry; null: no tokens
 * @param preload checkpoint names loaded at start, before health says SERVING
 * @param metricsPort the Prometheus metrics port on {@code host}; -1 for none, 0 for a free one
 * @param comfyPort the port of ComfyUI's HTTP and websocket API on {@code host}; -1 for none, 0 for a free one
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
        Duration shutdownGrace,
        Tls tls,
        Path authTokens,
        long cacheBytes,
        java.util.List<String> preload,
        int metricsPort,
        int comfyPort) {

    /**
     * A PEM certificate chain and its PKCS#8 private key; with {@code clientCa} (PEM CA certificates,
     * or null) clients must present a certificate it signed (mutual TLS).
     */
    public record Tls(Path certificateChain, Path privateKey, Path clientCa) {
        public Tls(Path certificateChain, Path privateKey) {
            this(certificateChain, privateKey, null);
        }
    }

    public static final int DEFAULT_PORT = 7860;
    public static final int MAX_MESSAGE_BYTES = 64 << 20;

    /** The defaults for a server installed in {@code home}: models/ and plugins/ inside it, loopback, port 7860. */
    public static ServerConfig defaults(Path home) {
        return new ServerConfig("127.0.0.1", DEFAULT_PORT, home.resolve("models"), home.resolve("plugins"), Backend.AUTO,
                16, 0, false, Duration.ofSeconds(10), null, null, 0, java.util.List.of(), -1, -1);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A changed copy: {@code config.toBuilder().port(0).backend(Backend.CPU).build()}. */
    public static final class Builder {
        private String host;
        private int port;
        private Path modelsDir;
        private Path pluginsDir;
        private Backend backend;
        private int queueCapacity;
        private int cachedModels;
        private boolean allowAbsolutePaths;
        private Duration shutdownGrace;
        private Tls tls;
        private Path authTokens;
        private long cacheBytes;
        private java.util.List<String> preload;
        private int metricsPort;
        private int comfyPort;

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            modelsDir = c.modelsDir;
            pluginsDir = c.pluginsDir;
            backend = c.backend;
            queueCapacity = c.queueCapacity;
            cachedModels = c.cachedModels;
            allowAbsolutePaths = c.allowAbsolutePaths;
            shutdownGrace = c.shutdownGrace;
            tls = c.tls;
            authTokens = c.authTokens;
            cacheBytes = c.cacheBytes;
            preload = c.preload;
            metricsPort = c.metricsPort;
            comfyPort = c.comfyPort;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder modelsDir(Path v) {
            modelsDir = v;
            return this;
        }

        public Builder pluginsDir(Path v) {
            pluginsDir = v;
            return this;
        }

        public Builder backend(Backend v) {
            backend = v;
            return this;
        }

        public Builder queueCapacity(int v) {
            queueCapacity = v;
            return this;
        }

        public Builder cachedModels(int v) {
            cachedModels = v;
            return this;
        }

        public Builder allowAbsolutePaths(boolean v) {
            allowAbsolutePaths = v;
            return this;
        }

        public Builder shutdownGrace(Duration v) {
            shutdownGrace = v;
            return this;
        }

        public Builder tls(Tls v) {
            tls = v;
            return this;
        }

        public Builder authTokens(Path v) {
            authTokens = v;
            return this;
        }

        public Builder cacheBytes(long v) {
            cacheBytes = v;
            return this;
        }

        /** Checkpoint names to load at start; health says NOT_SERVING until they are loaded. */
        public Builder preload(java.util.List<String> v) {
            preload = java.util.List.copyOf(v);
            return this;
        }

        /** Serve Prometheus metrics on this port (0: a free one), on the gRPC host; -1: not at all. */
        public Builder metricsPort(int v) {
            metricsPort = v;
            return this;
        }

        /** Serve ComfyUI's HTTP and websocket API on this port (0: a free one), on the gRPC host; -1: not at all. */
        public Builder comfyPort(int v) {
            comfyPort = v;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, modelsDir, pluginsDir, backend, queueCapacity, cachedModels, allowAbsolutePaths,
                    shutdownGrace, tls, authTokens, cacheBytes, preload, metricsPort, comfyPort);
        }
    }
}
