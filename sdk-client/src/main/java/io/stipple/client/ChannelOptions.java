package io.stipple.client;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach a server.
 *
 * @param target "host:port", or any gRPC target such as "dns:///stipple.default.svc:7860": calls go
 *     round robin over every address it resolves to
 * @param tls whether to use TLS; with {@code trustedCertificates} null the JVM's trust store is used
 * @param trustedCertificates PEM file of CA certificates to trust (self-signed servers), or null
 * @param maxMessageBytes the largest message accepted (images and latents: 64 MiB by default)
 * @param keepAlive ping interval on idle connections (null: gRPC's default, none)
 * @param bearerToken sent as {@code authorization: Bearer <token>} on every call, or null
 * @param clientCertificate with {@code clientKey}: the PEM certificate chain this client presents
 *     (servers with mutual TLS), or null
 * @param clientKey the client certificate's PKCS#8 private key, or null
 */
public record ChannelOptions(String target, boolean tls, Path trustedCertificates, int maxMessageBytes, Duration keepAlive,
        String bearerToken, Path clientCertificate, Path clientKey) {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

    public static ChannelOptions plaintext(String target) {
        return new ChannelOptions(target, false, null, DEFAULT_MAX_MESSAGE_BYTES, null, null, null, null);
    }

    public static ChannelOptions tls(String target) {
        return new ChannelOptions(target, true, null, DEFAULT_MAX_MESSAGE_BYTES, null, null, null, null);
    }

    public ChannelOptions trusting(Path pemFile) {
        return new ChannelOptions(target, true, pemFile, maxMessageBytes, keepAlive, bearerToken, clientCertificate, clientKey);
    }

    /** The same, sending {@code token} with every call (servers started with --auth-tokens). */
    public ChannelOptions withToken(String token) {
        return new ChannelOptions(target, tls, trustedCertificates, maxMessageBytes, keepAlive, token, clientCertificate, clientKey);
    }

    /** The same over TLS, presenting this certificate (servers started with --tls-client-ca). */
    public ChannelOptions withClientCertificate(Path certificateChain, Path privateKey) {
        return new ChannelOptions(target, true, trustedCertificates, maxMessageBytes, keepAlive, bearerToken, certificateChain, privateKey);
    }
}
