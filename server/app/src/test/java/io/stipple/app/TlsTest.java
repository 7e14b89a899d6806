package io.stipple.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.client.ChannelOptions;
import io.stipple.client.StippleClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server over TLS on a loopback port, and the client's TLS channel trusting its certificate. */
class TlsTest {
    @TempDir
    Path dir;

    /** A self-signed certificate for {@code name} and its key, made by openssl. */
    private void selfSigned(String name, Path cert, Path key) throws Exception {
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name, "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("openssl is not installed: cannot make a test certificate");
            return;
        }
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, new String(openssl.getInputStream().readAllBytes()));
    }

    @Test
    void withAClientCaOnlyClientsPresentingACertificateItSignedGetIn() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("localhost", cert, key);
        Path clientCert = dir.resolve("client.pem");
        Path clientKey = dir.resolve("client-key.pem");
        selfSigned("client", clientCert, clientKey);
        Files.createDirectories(dir.resolve("home/models/checkpoints"));
        ServerConfig config = ServerConfig.defaults(dir.resolve("home")).toBuilder().port(0).backend(Backend.CPU)
                .tls(new ServerConfig.Tls(cert, key, clientCert)).build();
        try (StippleServer server = Main.server(config).startTcp()) {
            String target = "localhost:" + server.port();
            try (StippleClient mutual = StippleClient.connect(ChannelOptions.tls(target).trusting(cert)
                    .withClientCertificate(clientCert, clientKey))) {
                assertTrue(mutual.listSamplers().getSamplersCount() > 0);
            }
            try (StippleClient anonymous = StippleClient.connect(ChannelOptions.tls(target).trusting(cert))) {
                var e = assertThrows(StatusRuntimeException.class, anonymous::listSamplers);
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            }
        }
    }

    @Test
    void aTlsClientTalksToATlsServerAndAPlaintextOneCannot() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned("localhost", cert, key);
        Files.createDirectories(dir.resolve("home/models/checkpoints"));
        ServerConfig config = ServerConfig.defaults(dir.resolve("home")).toBuilder().port(0).backend(Backend.CPU)
                .tls(new ServerConfig.Tls(cert, key)).build();
        try (StippleServer server = Main.server(config).startTcp()) {
            String target = "localhost:" + server.port();
            try (StippleClient tls = StippleClient.connect(ChannelOptions.tls(target).trusting(cert))) {
                assertTrue(tls.listSamplers().getSamplersCount() > 0);
            }
            try (StippleClient plain = StippleClient.connect(ChannelOptions.plaintext(target))) {
                var e = assertThrows(StatusRuntimeException.class, plain::listSamplers);
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            }
        }
    }
}
