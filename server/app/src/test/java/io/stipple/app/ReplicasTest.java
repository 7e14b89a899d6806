package io.stipple.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.client.ChannelOptions;
import io.stipple.client.Generation;
import io.stipple.client.GenerationListener;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.Progress;
import io.stipple.tensor.testing.Golden;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas on loopback behind one client target, as a headless Kubernetes Service's DNS name
 * gives them (here a name resolver of the test's own returns both addresses): calls spread over
 * both; a replica stopped mid-stream gives that stream UNAVAILABLE, and new calls go to the other.
 */
class ReplicasTest {
    @TempDir
    Path dir;

    /** "replicas:///" resolves to the addresses the test set. */
    private static final class Replicas extends NameResolverProvider {
        volatile List<SocketAddress> addresses = List.of();

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            if (!"replicas".equals(target.getScheme())) {
                return null;
            }
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return "replicas";
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder()
                            .setAddresses(addresses.stream().map(EquivalentAddressGroup::new).toList()).build());
                }

                @Override
                public void shutdown() {}
            };
        }

        @Override
        public String getDefaultScheme() {
            return "replicas";
        }

        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
            return List.of(InetSocketAddress.class);
        }
    }

    private StippleServer replica(String name) throws Exception {
        Path home = dir.resolve(name);
        Path checkpoints = Files.createDirectories(home.resolve("models/checkpoints"));
        Files.createSymbolicLink(checkpoints.resolve("sd15_tiny.safetensors"), Golden.path("models/sd15_tiny.safetensors"));
        return Main.server(ServerConfig.defaults(home).toBuilder().port(0).backend(Backend.CPU).shutdownGrace(Duration.ZERO).build())
                .startTcp();
    }

    private static GenerateRequest job(int steps) {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).setPrompt("a cat")
                .setWidth(64).setHeight(64).setSteps(steps).setSeed(1).setPreview(PreviewOptions.newBuilder().setEveryNSteps(0)).build();
    }

    private static int resident(StippleServer s) {
        try (StippleClient direct = StippleClient.connect(ChannelOptions.plaintext("127.0.0.1:" + s.port()))) {
            return direct.listModels().getResidentCount();
        }
    }

    private static int running(StippleServer s) {
        try (StippleClient direct = StippleClient.connect(ChannelOptions.plaintext("127.0.0.1:" + s.port()))) {
            return direct.listJobs().getJobsCount();
        }
    }

    @Test
    void callsSpreadOverReplicasAndMoveOffOneThatStops() throws Exception {
        Replicas resolver = new Replicas();
        NameResolverRegistry.getDefaultRegistry().register(resolver);
        try (StippleServer a = replica("a"); StippleServer b = replica("b")) {
            resolver.addresses = List.of(new InetSocketAddress("127.0.0.1", a.port()), new InetSocketAddress("127.0.0.1", b.port()));
            try (StippleClient client = StippleClient.connect(ChannelOptions.plaintext("replicas:///stipple"))) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(1, client.generate(job(1)).images().size());
                }
                assertEquals(1, resident(a), "replica a served some of the calls");
                assertEquals(1, resident(b), "replica b served some of the calls");

                CountDownLatch started = new CountDownLatch(1);
                Generation longOne = client.generateAsync(job(1000).toBuilder().setWidth(256).setHeight(256).build(), new GenerationListener() {
                    @Override
                    public void onProgress(Progress p) {
                        started.countDown();
                    }
                });
                assertTrue(started.await(60, TimeUnit.SECONDS));
                StippleServer busy = running(a) > 0 ? a : b;
                busy.close();
                var e = assertThrows(StatusRuntimeException.class, () -> longOne.await(Duration.ofSeconds(60)));
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
                for (int i = 0; i < 3; i++) {
                    assertEquals(1, client.generate(job(1)).images().size(), "new calls go to the replica still up");
                }
            }
        } finally {
            NameResolverRegistry.getDefaultRegistry().deregister(resolver);
        }
    }
}
