package io.stipple.app.testing;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.stipple.app.Main;
import io.stipple.app.StippleServer;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.proto.v1.StippleGrpc;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Stipple server for a test class, in-process, over a models folder holding the golden tiny
 * checkpoints and the demo model (linked, not copied) and an empty plugins folder: the bundled plugins are on the test
 * class path. Register with {@code @RegisterExtension static StippleServerExtension server = ...}.
 */
public final class StippleServerExtension implements BeforeAllCallback, AfterAllCallback {
    private final int queueCapacity;
    private final PluginsSetup pluginsSetup;
    private final ConfigChange configChange;
    private Path home;
    private StippleServer server;
    private ManagedChannel channel;

    public StippleServerExtension() {
        this(16);
    }

    public StippleServerExtension(int queueCapacity) {
        this(queueCapacity, dir -> {});
    }

    /** Puts plugin jars into the plugins folder before the server starts. */
    @FunctionalInterface
    public interface PluginsSetup {
        void populate(Path pluginsDir) throws Exception;
    }

    public StippleServerExtension(int queueCapacity, PluginsSetup pluginsSetup) {
        this(queueCapacity, pluginsSetup, (b, home) -> b);
    }

    /** Changes the configuration before the server starts (its home folder exists by then). */
    @FunctionalInterface
    public interface ConfigChange {
        ServerConfig.Builder apply(ServerConfig.Builder builder, Path home) throws Exception;
    }

    public StippleServerExtension(int queueCapacity, PluginsSetup pluginsSetup, ConfigChange configChange) {
        this.queueCapacity = queueCapacity;
        this.pluginsSetup = pluginsSetup;
        this.configChange = configChange;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = Files.createTempDirectory("stipple-test-");
        Path checkpoints = Files.createDirectories(home.resolve("models/checkpoints"));
        Path loras = Files.createDirectories(home.resolve("models/loras"));
        for (String l : new String[] {"lora_a.safetensors", "lora_b.safetensors"}) {
            Files.createSymbolicLink(loras.resolve(l), Golden.path("lora/" + l));
        }
        // an SDXL LoRA for the tiny SDXL model (made by server/engine's lora-fixtures script)
        Files.createSymbolicLink(loras.resolve("sdxl_lora.safetensors"),
                Golden.testdata().getParent().resolve("server/engine/src/test/resources/lora-fixtures/sdxl.safetensors"));
        Files.createDirectories(home.resolve("models/vae"));
        pluginsSetup.populate(Files.createDirectories(home.resolve("plugins")));
        for (String m : new String[] {"sd15_tiny.safetensors", "sdxl_tiny.safetensors", "sd15_tiny_b.safetensors", "sd15_tiny.ckpt"}) {
            Files.createSymbolicLink(checkpoints.resolve(m), Golden.path("models/" + m));
        }
        // the bundled demo model (trained weights, a 64x64 size in its metadata)
        Files.createSymbolicLink(checkpoints.resolve("stipple-demo-shapes.safetensors"),
                Golden.path("demo-model/stipple-demo-shapes.safetensors"));
        Files.writeString(checkpoints.resolve("not_a_model.safetensors"), "this is not a model");
        ServerConfig config = configChange.apply(ServerConfig.defaults(home).toBuilder().backend(Backend.CPU)
                .queueCapacity(queueCapacity).port(0).shutdownGrace(Duration.ofSeconds(2)), home).build();
        String name = "stipple-test-" + UUID.randomUUID();
        server = Main.server(config).startInProcess(name);
        channel = InProcessChannelBuilder.forName(name).maxInboundMessageSize(ServerConfig.MAX_MESSAGE_BYTES).build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        channel.shutdownNow();
        server.close();
        deleteTree(home);
    }

    public ManagedChannel channel() {
        return channel;
    }

    public StippleGrpc.StippleBlockingStub blocking() {
        return StippleGrpc.newBlockingStub(channel);
    }

    public StippleGrpc.StippleStub async() {
        return StippleGrpc.newStub(channel);
    }

    public Path home() {
        return home;
    }

    public StippleServer server() {
        return server;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
