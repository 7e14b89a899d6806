package io.stipple.app;

import com.google.inject.Inject;
import com.google.inject.Injector;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.grpc.StippleService;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.models.ModelCache;
import io.stipple.app.plugins.PluginBootstrap;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.proto.v1.StippleGrpc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's lifecycle. Construction does nothing; {@link #start} loads the plugins, builds the
 * services and listens (on TCP, in-process, or both); {@link #close} stops taking calls, lets
 * running ones finish within the grace period, and frees the models.
 */
public final class StippleServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StippleServer.class.getName());

    private final Injector injector;
    private final ServerConfig config;
    private final List<Server> servers = new ArrayList<>();
    private HealthStatusManager health;

    @Inject
    StippleServer(Injector injector, ServerConfig config) {
        this.injector = injector;
        this.config = config;
    }

    /** Listens on the configured host and port. */
    public synchronized StippleServer startTcp() throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()));
        if (config.tls() != null) {
            builder.useTransportSecurity(config.tls().certificateChain().toFile(), config.tls().privateKey().toFile());
        }
        Server server = configure(builder).build().start();
        servers.add(server);
        LOG.log(Level.INFO, "Stipple listening on " + config.host() + ":" + server.getPort() + (config.tls() != null ? " (TLS)" : ""));
        return this;
    }

    /** Serves in-process under {@code name} (the embedded CLI and tests). */
    public synchronized StippleServer startInProcess(String name) throws IOException {
        servers.add(configure(InProcessServerBuilder.forName(name)).build().start());
        return this;
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
        BindableService reflection = ProtoReflectionServiceV1.newInstance();
        builder.maxInboundMessageSize(ServerConfig.MAX_MESSAGE_BYTES)
                .addService(service)
                .addService(health.getHealthService())
                .addService(reflection);
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(StippleGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return builder;
    }

    public void awaitTermination() throws InterruptedException {
        for (Server s : List.copyOf(servers)) {
            s.awaitTermination();
        }
    }

    @Override
    public synchronized void close() {
        if (health != null) {
            health.enterTerminalState();
        }
        for (Server s : servers) {
            s.shutdown();
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Server s : servers) {
            try {
                if (!s.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        servers.clear();
        injector.getInstance(JobQueue.class).close();
        injector.getInstance(ModelCache.class).close();
        injector.getInstance(PluginBootstrap.class).close();
    }
}
