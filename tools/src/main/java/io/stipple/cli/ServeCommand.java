package io.stipple.cli;

import io.stipple.app.Main;
import io.stipple.app.StippleServer;
import io.stipple.app.config.ServerConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the gRPC server (Generate, Merge, ListModels, ListSamplers; health and reflection) until stopped.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).",
            defaultValue = "" + ServerConfig.DEFAULT_PORT)
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--tls-cert", paramLabel = "CHAIN.pem", description = "Serve TLS with this certificate chain (with --tls-key).")
    java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "KEY.pem", description = "The certificate's PKCS#8 private key.")
    java.nio.file.Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "CA.pem", description = "With TLS: require client certificates signed by these CAs (mutual TLS).")
    java.nio.file.Path tlsClientCa;

    @Option(names = "--metrics-port", paramLabel = "N", description = "Serve Prometheus metrics on this port (0 picks a free one), on --host.")
    Integer metricsPort;

    @Option(names = "--comfy-port", paramLabel = "N", description = "Serve ComfyUI's HTTP and websocket API on this port (0 picks a free one), on --host.")
    Integer comfyPort;

    @Option(names = "--preload", paramLabel = "CHECKPOINT", description = "Load this checkpoint at start (repeatable); health says NOT_SERVING until it is loaded.")
    java.util.List<String> preload;

    @Option(names = "--cache-mib", paramLabel = "MIB", description = "Memory the loaded models' weights may take (default: 45% of the heap); the least recently used are unloaded.")
    Long cacheMib;

    @Option(names = "--auth-tokens", paramLabel = "FILE", description = "Require a bearer token from this file (one per line, reloaded when it changes) on every call but health.")
    java.nio.file.Path authTokens;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new UserError("--port: " + port + " (expected: 0 to 65535)");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserError("--tls-cert and --tls-key go together (expected: both or neither)");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new UserError("--tls-client-ca needs --tls-cert and --tls-key (expected: mutual TLS on top of TLS)");
        }
        ServerConfig.Builder b = server.toConfig().toBuilder().port(port).host(host);
        if (tlsCert != null) {
            b.tls(new ServerConfig.Tls(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath(),
                    tlsClientCa == null ? null : tlsClientCa.toAbsolutePath()));
        }
        if (authTokens != null) {
            b.authTokens(authTokens.toAbsolutePath());
        }
        if (metricsPort != null) {
            if (metricsPort < 0 || metricsPort > 65535) {
                throw new UserError("--metrics-port: " + metricsPort + " (expected: 0 to 65535)");
            }
            b.metricsPort(metricsPort);
        }
        if (comfyPort != null) {
            if (comfyPort < 0 || comfyPort > 65535) {
                throw new UserError("--comfy-port: " + comfyPort + " (expected: 0 to 65535)");
            }
            b.comfyPort(comfyPort);
        }
        if (preload != null) {
            b.preload(preload);
        }
        if (cacheMib != null) {
            if (cacheMib < 1) {
                throw new UserError("--cache-mib: " + cacheMib + " (expected: at least 1)");
            }
            b.cacheBytes(cacheMib << 20);
        }
        ServerConfig config = b.build();
        StippleServer s = Main.server(config);
        try {
            s.startTcp();
        } catch (java.io.IOException e) {
            s.close();
            throw new UserError("cannot listen on " + host + ":" + port + ": " + e.getMessage(), ErrorHandler.FAILED);
        } catch (IllegalArgumentException e) {
            s.close();
            throw new UserError(e.getMessage()); // a configuration the user can fix: the tokens file, the address
        }
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "stipple-shutdown"));
        System.out.println("stipple: serving on " + host + ":" + s.port() + (config.tls() != null ? " with TLS" : "")
                + " (models " + config.modelsDir() + ")" + (s.metricsPort() >= 0 ? "; metrics on port " + s.metricsPort() : "")
                + (s.comfyPort() >= 0 ? "; ComfyUI API on port " + s.comfyPort() : ""));
        System.out.flush();
        s.awaitTermination();
        return 0;
    }
}
