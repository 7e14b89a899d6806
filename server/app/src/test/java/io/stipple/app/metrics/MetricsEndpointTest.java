package io.stipple.app.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.Main;
import io.stipple.app.StippleServer;
import io.stipple.app.config.Backend;
import io.stipple.app.config.ServerConfig;
import io.stipple.client.ChannelOptions;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.tensor.testing.Golden;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --metrics-port: Prometheus scrapes the queue, jobs by outcome, steps, models and the JVM after a generation. */
class MetricsEndpointTest {
    @TempDir
    Path home;

    @Test
    void aScrapeAfterAGenerationShowsWhatHappened() throws Exception {
        Path checkpoints = Files.createDirectories(home.resolve("models/checkpoints"));
        Files.createSymbolicLink(checkpoints.resolve("sd15_tiny.safetensors"), Golden.path("models/sd15_tiny.safetensors"));
        ServerConfig config = ServerConfig.defaults(home).toBuilder().port(0).metricsPort(0).backend(Backend.CPU).build();
        try (StippleServer server = Main.server(config).startTcp();
                StippleClient client = StippleClient.connect(ChannelOptions.plaintext("127.0.0.1:" + server.port()))) {
            client.generate(GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                    .setPrompt("a cat").setWidth(64).setHeight(96).setSteps(3).setSeed(1).build());
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String expected : new String[] {
                "stipple_jobs_total{kind=\"generate\",outcome=\"OK\"} 1.0",
                "stipple_step_seconds_count{model=\"sd15_tiny\",size=\"64x96\"} 3",
                "stipple_iterations_per_second_count{model=\"sd15_tiny\",size=\"64x96\"}",
                "stipple_queue_wait_seconds_count{kind=\"generate\"} 1",
                "stipple_queue_depth 0.0",
                "stipple_model_loads_total{family=\"sd15\"} 1.0",
                "stipple_resident_bytes ",
                "jvm_memory_used_bytes"}) {
                assertTrue(text.contains(expected), "expected «" + expected + "» in the scrape:\n" + text);
            }
        }
    }
}
