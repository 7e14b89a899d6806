package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.Generation;
import io.stipple.client.GenerationListener;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.Progress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that stops (SIGTERM runs the same close) ends its calls with UNAVAILABLE "the server is
 * shutting down": the waiting job at once, the running one when the grace period (2 s here) ends.
 * Never CANCELLED, which the contract keeps for a client's own cancel.
 */
class ShutdownTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(4);

    private static GenerateRequest longJob() {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("slow").setWidth(256).setHeight(256).setSteps(1000).setSeed(1)
                .setPreview(PreviewOptions.newBuilder().setEveryNSteps(0)).build();
    }

    @Test
    @Timeout(120)
    void runningAndWaitingCallsEndWithUnavailable() throws Exception {
        var client = StippleClient.over(server.channel());
        CountDownLatch started = new CountDownLatch(1);
        Generation running = client.generateAsync(longJob(), new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                started.countDown();
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS), "the first job never started");
        Generation waiting = client.generateAsync(longJob(), new GenerationListener() {});

        long closing = System.nanoTime();
        Thread stopper = Thread.ofPlatform().start(() -> server.server().close());

        var queued = assertThrows(StatusRuntimeException.class, () -> waiting.await(Duration.ofSeconds(30)));
        long queuedEnded = System.nanoTime();
        var ran = assertThrows(StatusRuntimeException.class, () -> running.await(Duration.ofSeconds(60)));
        stopper.join(60_000);

        for (StatusRuntimeException e : new StatusRuntimeException[] {queued, ran}) {
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            assertEquals("the server is shutting down", e.getStatus().getDescription());
        }
        assertTrue(queuedEnded - closing < 1_500_000_000L, "the waiting job ends at once, not after the grace period");
    }
}
