package io.stipple.app.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;

/**
 * Reads a server properties file (port, host, models, plugins, backend, queue, cached_models,
 * shutdown_grace_seconds, tls_cert, tls_key, tls_client_ca, auth_tokens, cache_mib, preload: comma-separated names,
 * metrics_port, comfy_port); relative paths resolve against the file's own folder. Unknown keys are
 * errors, so a typo does not silently fall back to a default.
 */
public final class ConfigFile {
    private static final Set<String> KEYS = Set.of("port", "host", "models", "plugins", "backend", "queue", "cached_models",
            "shutdown_grace_seconds", "tls_cert", "tls_key", "tls_client_ca", "auth_tokens", "cache_mib", "preload", "metrics_port", "comfy_port");

    private ConfigFile() {}

    public static ServerConfig apply(Path file, ServerConfig base) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(file + ": unknown setting " + key + " (expected: one of " + KEYS + ")");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        ServerConfig.Builder c = base.toBuilder();
        if (p.containsKey("port")) {
            c.port(integer(file, p, "port", 0, 65535));
        }
        if (p.containsKey("host")) {
            c.host(p.getProperty("host").trim());
        }
        if (p.containsKey("models")) {
            c.modelsDir(dir.resolve(p.getProperty("models").trim()));
        }
        if (p.containsKey("plugins")) {
            c.pluginsDir(dir.resolve(p.getProperty("plugins").trim()));
        }
        if (p.containsKey("backend")) {
            c.backend(Backend.parse(p.getProperty("backend")));
        }
        if (p.containsKey("queue")) {
            c.queueCapacity(integer(file, p, "queue", 1, 10_000));
        }
        if (p.containsKey("cached_models")) {
            c.cachedModels(integer(file, p, "cached_models", 0, 64));
        }
        if (p.containsKey("shutdown_grace_seconds")) {
            c.shutdownGrace(Duration.ofSeconds(integer(file, p, "shutdown_grace_seconds", 0, 3600)));
        }
        if (p.containsKey("tls_cert") != p.containsKey("tls_key")) {
            throw new IllegalArgumentException(file + ": tls_cert and tls_key go together (expected: both or neither)");
        }
        if (p.containsKey("tls_client_ca") && !p.containsKey("tls_cert")) {
            throw new IllegalArgumentException(file + ": tls_client_ca needs tls_cert and tls_key (expected: mutual TLS on top of TLS)");
        }
        if (p.containsKey("tls_cert")) {
            c.tls(new ServerConfig.Tls(dir.resolve(p.getProperty("tls_cert").trim()), dir.resolve(p.getProperty("tls_key").trim()),
                    p.containsKey("tls_client_ca") ? dir.resolve(p.getProperty("tls_client_ca").trim()) : null));
        }
        if (p.containsKey("metrics_port")) {
            c.metricsPort(integer(file, p, "metrics_port", 0, 65535));
        }
        if (p.containsKey("comfy_port")) {
            c.comfyPort(integer(file, p, "comfy_port", 0, 65535));
        }
        if (p.containsKey("cache_mib")) {
            c.cacheBytes((long) integer(file, p, "cache_mib", 1, 16 << 20) << 20);
        }
        if (p.containsKey("preload")) {
            c.preload(java.util.Arrays.stream(p.getProperty("preload").split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList());
        }
        if (p.containsKey("auth_tokens")) {
            c.authTokens(dir.resolve(p.getProperty("auth_tokens").trim()));
        }
        return c.build();
    }

    private static int integer(Path file, Properties p, String key, int min, int max) {
        String v = p.getProperty(key).trim();
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": " + key + ": " + v + " (expected: an integer in [" + min + ", " + max + "])");
        }
    }
}
