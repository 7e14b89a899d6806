package io.stipple.app;

import com.google.inject.Inject;
import com.google.inject.Injector;
import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.stipple.app.auth.BearerTokenInterceptor;
import io.stipple.app.auth.TokenFile;
import io.stipple.app.comfy.ComfyServer;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.metrics.ServerMetrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.stipple.app.grpc.MalformedRequests;
import io.stipple.app.grpc.StippleService;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.models.ModelCache;
import io.stipple.app.plugins.PluginBootstrap;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.proto.v1.StippleGrpc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's lifecycle. Construction does nothing; {@link #start} loads the plugins, builds the
 * services and listens (on TCP, in-process, or both); {@link #close} stops taking calls, lets
 * the running one finish within the grace period, and frees the models.
 */
public final class StippleServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StippleServer.class.getName());

    /** How long a job cancelled at shutdown gets to reach its next check and free what it holds. */
    private static final Duration RUNNING_JOB_WAIT = Duration.ofSeconds(5);
    /** How long ended calls get to send their status before the transports close. */
    private static final Duration TRAILERS_WAIT = Duration.ofSeconds(2);

    private final Injector injector;
    private final ServerConfig config;
    private final List<Server> servers = new ArrayList<>();
    private static final Duration KEEPALIVE = Duration.ofMinutes(1);
    private static final Duration MAX_CONNECTION_AGE = Duration.ofMinutes(30);
    private static final Duration MAX_CONNECTION_AGE_GRACE = Duration.ofMinutes(60);

    private HealthStatusManager health;
    private HTTPServer metricsServer;
    private ComfyServer comfyServer;
    private boolean closed;
    private boolean preloaded;
    private TokenFile tokens;

    @Inject
    StippleServer(Injector injector, ServerConfig config) {
        this.injector = injector;
        this.config = config;
    }

    /** Listens on the configured host and port. */
    public synchronized StippleServer startTcp() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()),
                credentials(config.tls()));
        // keepalive finds dead peers behind load balancers; a maximum connection age makes clients
        // reconnect now and then, so new replicas get traffic; the grace outlasts any generation
        builder.keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS).keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true)
                .maxConnectionAge(MAX_CONNECTION_AGE.toMinutes(), TimeUnit.MINUTES)
                .maxConnectionAgeGrace(MAX_CONNECTION_AGE_GRACE.toMinutes(), TimeUnit.MINUTES);
        Server server = configure(builder).build().start();
        servers.add(server);
        if (config.metricsPort() >= 0) {
            metricsServer = HTTPServer.builder().hostname(config.host()).port(config.metricsPort())
                    .registry(injector.getInstance(ServerMetrics.class).registry()).buildAndStart();
            LOG.log(Level.INFO, "Prometheus metrics on http://" + config.host() + ":" + metricsServer.getPort() + "/metrics");
        }
        if (config.comfyPort() >= 0) {
            startComfy();
        }
        LOG.log(Level.INFO, "Stipple listening on " + config.host() + ":" + server.getPort() + (config.tls() == null ? ""
                : config.tls().clientCa() != null ? " (mutual TLS)" : " (TLS)") + (config.authTokens() != null ? ", bearer tokens required" : ""));
        if (config.authTokens() == null && new InetSocketAddress(config.host(), 0).getAddress().isAnyLocalAddress()) {
            LOG.log(Level.WARNING, "listening on every interface (" + config.host() + ") without --auth-tokens: anyone who can "
                    + "reach this port can generate, merge into the models folder and cancel jobs");
        }
        return this;
    }

    /**
     * Serves ComfyUI's HTTP and websocket API on {@code comfy_port} (startTcp does when it is set;
     * tests call it next to an in-process server). Its prompts share this server's queue and tokens.
     */
    public synchronized StippleServer startComfy() throws IOException {
        if (comfyServer == null) {
            try {
                comfyServer = ComfyServer.start(injector, config, tokens());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while binding the ComfyUI port", e);
            }
            LOG.log(Level.INFO, "ComfyUI API on http://" + config.host() + ":" + comfyServer.port() + "/");
        }
        return this;
    }

    /** The ComfyUI API's port (the chosen one when configured as 0), or -1 when it is not served. */
    public int comfyPort() {
        return comfyServer == null ? -1 : comfyServer.port();
    }

    private static ServerCredentials credentials(ServerConfig.Tls tls) throws IOException {
        if (tls == null) {
            return InsecureServerCredentials.create();
        }
        TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(tls.certificateChain().toFile(), tls.privateKey().toFile());
        if (tls.clientCa() != null) {
            b.trustManager(tls.clientCa().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return b.build();
    }

    /** Serves in-process under {@code name} (the embedded CLI and tests). */
    public synchronized StippleServer startInProcess(String name) throws IOException {
        servers.add(configure(InProcessServerBuilder.forName(name)).build().start());
        return this;
    }

    /** The bearer tokens every call must carry (gRPC and the ComfyUI port alike), or null without --auth-tokens. */
    private synchronized TokenFile tokens() {
        if (config.authTokens() != null && tokens == null) {
            tokens = new TokenFile(config.authTokens()); // an unreadable or empty file stops the start, named
        }
        return tokens;
    }

    /** The metrics port (the chosen one when configured as 0), or -1 without metrics. */
    public int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.getPort();
    }

    /** The TCP port (the chosen one when configured as 0), or -1 without TCP. */
    public int port() {
        return servers.stream().map(Server::getPort).filter(p -> p > 0).findFirst().orElse(-1);
    }

    public PluginRegistry plugins() {
        return injector.getInstance(PluginRegistry.class);
    }

    private ServerBuilder<?> configure(ServerBuilder<?> builder) throws IOException {
        StippleService service = injector.getInstance(StippleService.class);
        injector.getInstance(io.stipple.app.grpc.MergeService.class).cleanUp();
        if (health == null) {
            health = injector.getInstance(HealthStatusManager.class);
        }
        TokenFile tokens = tokens();
        List<ServerInterceptor> auth = tokens == null ? List.of() : List.of(new BearerTokenInterceptor(tokens));
        // every service but health needs the token: load balancers probe health without credentials
        builder.maxInboundMessageSize(ServerConfig.MAX_MESSAGE_BYTES)
                .addService(ServerInterceptors.intercept(MalformedRequests.answeredAsInvalid(service.bindService()), auth))
                .addService(health.getHealthService())
                .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), auth))
                .addService(ServerInterceptors.intercept(v1alphaReflection(), auth));
        if (!preloaded) {
            preloaded = true;
            health.setStatus("", ServingStatus.SERVING);
            health.setStatus(StippleGrpc.SERVICE_NAME, ServingStatus.SERVING);
            service.preload(config.preload(), health); // NOT_SERVING until loaded
        }
        return builder;
    }

    /** grpcurl before 1.8.8 and other older tools ask only the v1alpha reflection service. */
    @SuppressWarnings("deprecation")
    private static BindableService v1alphaReflection() {
        return ProtoReflectionService.newInstance();
    }

    public void awaitTermination() throws InterruptedException {
        for (Server s : List.copyOf(servers)) {
            s.awaitTermination();
        }
    }

    /**
     * Stops serving: health says NOT_SERVING, no new calls are taken, waiting jobs end at once with
     * UNAVAILABLE, the running one gets the grace period to finish; after it, it too ends with
     * UNAVAILABLE (never the CANCELLED that a transport reset would give, which the contract
     * reserves for a client's cancel), and the transports close.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (health != null) {
            health.enterTerminalState();
        }
        JobQueue queue = injector.getInstance(JobQueue.class);
        for (Server s : servers) {
            s.shutdown();
        }
        queue.stopAccepting();
        // a ComfyUI prompt holds no gRPC call: its job is waited for on the queue itself, within the same grace
        long graceEnd = System.nanoTime() + config.shutdownGrace().toNanos();
        if (!awaitServers(config.shutdownGrace())
                || comfyServer != null && !queue.awaitWorker(Duration.ofNanos(Math.max(0, graceEnd - System.nanoTime())))) {
            queue.stopRunning(RUNNING_JOB_WAIT);
            if (!awaitServers(TRAILERS_WAIT)) {
                servers.forEach(Server::shutdownNow);
            }
        }
        servers.clear();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (comfyServer != null) {
            comfyServer.close();
        }
        injector.getInstance(ModelCache.class).close();
        injector.getInstance(PluginBootstrap.class).close();
    }

    /** Whether every server ended its calls within {@code wait}. */
    private boolean awaitServers(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean all = true;
        for (Server s : servers) {
            try {
                all &= s.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }
}
