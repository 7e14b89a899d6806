package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.GenerationListener;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.Progress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cancellation, deadlines and a full queue, seen from the client; the server keeps serving after each. */
class CancellationTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(1);

    /** Long enough to still be running when cancelled: a thousand steps of the tiny model. */
    private static GenerateRequest longJob() {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("slow").setWidth(256).setHeight(256).setSteps(1000).setSeed(1)
                .setPreview(PreviewOptions.newBuilder().setEveryNSteps(0)).build();
    }

    private static GenerateRequest quickJob() {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("quick").setWidth(64).setHeight(64).setSteps(1).setSeed(1).build();
    }

    @Test
    void cancellingStopsTheJobAndTheServerGoesOn() throws Exception {
        var client = StippleClient.over(server.channel());
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger lastStep = new AtomicInteger();
        var generation = client.generateAsync(longJob(), new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                lastStep.set(p.getStep());
                started.countDown();
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS), "the job never started");
        generation.cancel();
        var e = assertThrows(StatusRuntimeException.class, () -> generation.await(Duration.ofSeconds(30)));
        assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
        int lastServerStep = awaitIdle(client);
        assertTrue(lastServerStep < 1000, "the server's job stopped at step " + lastServerStep + " of 1000");
        // the queue has one slot: the next job runs only if the cancelled one stopped
        var output = client.withDeadline(Duration.ofSeconds(60)).generate(quickJob());
        assertEquals(1, output.images().size());
        assertTrue(lastStep.get() < 1000, "the cancelled job ran to the end");
    }

    /**
     * Waits (at most 10 s) until the server holds no job, and returns the last step the server
     * reported for the job that was running: proof that it stopped there, not just that the client
     * stopped listening.
     */
    private static int awaitIdle(StippleClient client) throws InterruptedException {
        int last = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var jobs = client.listJobs().getJobsList();
            if (jobs.isEmpty()) {
                return last;
            }
            last = jobs.getFirst().getDone();
            Thread.sleep(5);
        }
        throw new AssertionError("the server still runs the job 10 s after it was cancelled: " + client.listJobs());
    }

    @Test
    void aDeadlineStopsTheJob() throws Exception {
        var client = StippleClient.over(server.channel());
        var e = assertThrows(StatusRuntimeException.class,
                () -> client.withDeadline(Duration.ofMillis(1500)).generate(longJob()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        int lastServerStep = awaitIdle(client);
        assertTrue(lastServerStep < 1000, "the server's job stopped at step " + lastServerStep + " of 1000");
        var output = client.withDeadline(Duration.ofSeconds(60)).generate(quickJob());
        assertEquals(1, output.images().size());
    }

    @Test
    void aFullQueueIsResourceExhausted() throws Exception {
        var client = StippleClient.over(server.channel());
        CountDownLatch started = new CountDownLatch(1);
        var running = client.generateAsync(longJob(), new GenerationListener() {
            @Override
            public void onProgress(Progress p) {
                started.countDown();
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        CountDownLatch queued = new CountDownLatch(1);
        var waiting = client.generateAsync(longJob(), new GenerationListener() {
            @Override
            public void onQueued(int position) {
                assertEquals(1, position);
                queued.countDown();
            }
        });
        assertTrue(queued.await(30, TimeUnit.SECONDS));
        var e = assertThrows(StatusRuntimeException.class, () -> client.generate(quickJob()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("queue is full"), e.getStatus().getDescription());
        waiting.cancel();
        running.cancel();
        assertThrows(StatusRuntimeException.class, () -> running.await(Duration.ofSeconds(30)));
        assertThrows(StatusRuntimeException.class, () -> waiting.await(Duration.ofSeconds(30)));
        // the client's cancel returns before the server has let the jobs go: wait for that, as the tests above do
        awaitIdle(client);
        assertEquals(1, client.withDeadline(Duration.ofSeconds(60)).generate(quickJob()).images().size());
    }
}
