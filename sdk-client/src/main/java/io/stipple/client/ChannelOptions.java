package io.stipple.client;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a server.
 *
 * @param target "host:port"
 * @param tls whether to use TLS; with {@code trustedCertificates} null the JVM's trust store is used
 * @param trustedCertificates PEM file of CA certificates to trust (self-signed servers), or null
 * @param maxMessageBytes the largest message accepted (images and latents: 64 MiB by default)
 * @param keepAlive ping interval on idle connections (null: gRPC's default, none)
 */
public record ChannelOptions(String target, boolean tls, Path trustedCertificates, int maxMessageBytes, Duration keepAlive) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

    public static ChannelOptions plaintext(String target) {
        return new ChannelOptions(target, false, null, DEFAULT_MAX_MESSAGE_BYTES, null);
    }

    public static ChannelOptions tls(String target) {
        return new ChannelOptions(target, true, null, DEFAULT_MAX_MESSAGE_BYTES, null);
    }

    public ChannelOptions trusting(Path pemFile) {
        return new ChannelOptions(target, true, pemFile, maxMessageBytes, keepAlive);
    }
}
