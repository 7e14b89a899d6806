package io.stipple.cli;

import io.stipple.client.ChannelOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a client command reaches a server (--server and its security); without --server it runs embedded. */
final class RemoteOptions {
    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Run on this server instead of in this process.")
    String server;

    @Option(names = "--tls", description = "Connect to --server with TLS.")
    boolean tls;

    @Option(names = "--trust", paramLabel = "CA.pem", description = "With --tls: trust these certificates.")
    Path trust;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Send the bearer token in this file (its first line) to --server.")
    Path tokenFile;

    @Option(names = "--client-cert", paramLabel = "CHAIN.pem", description = "Present this certificate to --server (mutual TLS; with --client-key).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "KEY.pem", description = "The client certificate's PKCS#8 private key.")
    Path clientKey;

    boolean remote() {
        return server != null;
    }

    /** The channel for --server; a bad combination or an unreadable token file is the user's to fix. */
    ChannelOptions channel() {
        if ((clientCert == null) != (clientKey == null)) {
            throw new UserError("--client-cert and --client-key go together (expected: both or neither)");
        }
        ChannelOptions o = tls || clientCert != null ? ChannelOptions.tls(server) : ChannelOptions.plaintext(server);
        if (trust != null) {
            o = o.trusting(trust);
        }
        if (clientCert != null) {
            o = o.withClientCertificate(clientCert, clientKey);
        }
        if (tokenFile != null) {
            o = o.withToken(token(tokenFile));
        }
        return o;
    }

    private static String token(Path file) {
        try {
            String token = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .findFirst().orElseThrow(() -> new UserError("--token-file " + file + ": empty (expected: a token on its first line)"));
            return token;
        } catch (IOException e) {
            throw new UserError("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
