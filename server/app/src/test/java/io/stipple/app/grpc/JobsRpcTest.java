package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.Generation;
import io.stipple.client.GenerationListener;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.JobState;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.Scheduling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Job ids, ListJobs and CancelJob, from the client side, and a server under 20 streams with half cancelled. */
class JobsRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(32);

    private static GenerateRequest job(int steps, String client) {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("a cat").setWidth(64).setHeight(64).setSteps(steps).setSeed(1)
                .setPreview(PreviewOptions.newBuilder().setEveryNSteps(0))
                .setScheduling(Scheduling.newBuilder().setClientId(client)).build();
    }

    @Test
    void theJobIdIsInQueuedAndInTheResult() {
        List<GenerateEvent> events = new ArrayList<>();
        StippleClient.over(server.channel()).events(job(1, "me")).forEachRemaining(events::add);
        String id = events.getFirst().getQueued().getJobId();
        assertEquals(24, id.length(), id);
        assertEquals(id, events.getLast().getResult().getJobId());
    }

    @Test
    void everyKindOfJobHasItsOwnKindInListJobs() {
        var kinds = java.util.Arrays.stream(io.stipple.app.jobs.Job.Kind.values()).map(StippleService::kind).toList();
        assertEquals(List.of(io.stipple.proto.v1.JobKind.JOB_KIND_GENERATE, io.stipple.proto.v1.JobKind.JOB_KIND_MERGE,
                io.stipple.proto.v1.JobKind.JOB_KIND_MODELS, io.stipple.proto.v1.JobKind.JOB_KIND_WORKFLOW), kinds);
    }

    @Test
    void unknownJobsAreNotFoundAndBadSchedulingIsInvalid() {
        var client = StippleClient.over(server.channel());
        var e = assertThrows(StatusRuntimeException.class, () -> client.cancelJob("nope"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("job_id: nope (expected: the id of a job waiting or running"));
        var bad = assertThrows(StatusRuntimeException.class, () -> client.generate(job(1, "x").toBuilder()
                .setScheduling(Scheduling.newBuilder().setPriority(1000)).build()));
        assertEquals("scheduling.priority: 1000 (expected: -100 to 100)", bad.getStatus().getDescription());
    }

    @Test
    @Timeout(180)
    void twentyStreamsWithHalfCancelledLeaveNothingBehind() throws Exception {
        var client = StippleClient.over(server.channel());
        System.gc();
        long baseline = usedHeap();
        Random random = new Random(7);
        record Stream(Generation generation, CompletableFuture<String> id, int cancelAt, boolean byCancelJob) {}
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // every other stream is cancelled: at a random step (0: while it waits), by the stream or by CancelJob
            int cancelAt = i % 2 == 1 ? random.nextInt(6) : -1;
            boolean byCancelJob = i % 4 == 3;
            CompletableFuture<String> id = new CompletableFuture<>();
            AtomicReference<Generation> self = new AtomicReference<>();
            // a job to cancel runs long enough (200 steps) that the cancel lands before its end
            Generation g = client.generateAsync(job(cancelAt >= 0 ? 200 : 8, "client-" + (i % 3)), new GenerationListener() {
                @Override
                public void onQueued(Queued q) {
                    id.complete(q.getJobId());
                    if (cancelAt == 0) {
                        cancel();
                    }
                }

                @Override
                public void onProgress(Progress p) {
                    if (p.getStep() == cancelAt) {
                        cancel();
                    }
                }

                private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();

                private void cancel() {
                    if (!cancelled.compareAndSet(false, true)) {
                        return; // queued comes again when the position changes
                    }
                    if (byCancelJob) {
                        Thread.ofVirtual().start(() -> client.cancelJob(id.join()));
                    } else {
                        while (self.get() == null) {
                            Thread.onSpinWait();
                        }
                        self.get().cancel();
                    }
                }
            });
            self.set(g);
            streams.add(new Stream(g, id, cancelAt, byCancelJob));
        }
        for (Stream s : streams) {
            if (s.cancelAt() < 0) {
                assertEquals(1, s.generation().await(Duration.ofSeconds(120)).images().size());
            } else {
                var e = assertThrows(StatusRuntimeException.class, () -> s.generation().await(Duration.ofSeconds(120)));
                assertEquals(Status.Code.CANCELLED, e.getStatus().getCode(), e.getStatus().toString());
                if (s.byCancelJob()) {
                    assertEquals("cancelled by CancelJob", e.getStatus().getDescription());
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.listJobs().getJobsCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, client.listJobs().getJobsCount(), "the queue is empty afterwards");
        System.gc();
        long after = usedHeap();
        assertTrue(after - baseline < 256L << 20, "memory returns to its baseline: " + (baseline >> 20) + " MiB before, "
                + (after >> 20) + " MiB after");
    }

    @Test
    @Timeout(120)
    void listJobsShowsTheRunningJobAndTheWaitingOnesAndCancelJobStopsThem() throws Exception {
        var client = StippleClient.over(server.channel());
        CompletableFuture<String> runningId = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        Generation running = client.generateAsync(job(1000, "a").toBuilder().setWidth(256).setHeight(256).build(), new GenerationListener() {
            @Override
            public void onQueued(Queued q) {
                runningId.complete(q.getJobId());
            }

            @Override
            public void onProgress(Progress p) {
                started.complete(null);
            }
        });
        started.get(60, TimeUnit.SECONDS);
        CompletableFuture<String> waitingId = new CompletableFuture<>();
        Generation waiting = client.generateAsync(job(1, "b").toBuilder().setScheduling(Scheduling.newBuilder().setPriority(3)
                .setClientId("b")).build(), new GenerationListener() {
            @Override
            public void onQueued(Queued q) {
                waitingId.complete(q.getJobId());
            }
        });
        waitingId.get(30, TimeUnit.SECONDS);

        var jobs = client.listJobs().getJobsList();
        assertEquals(2, jobs.size(), jobs.toString());
        assertEquals(runningId.get(), jobs.get(0).getJobId());
        assertEquals(JobState.JOB_STATE_RUNNING, jobs.get(0).getState());
        assertEquals(1000, jobs.get(0).getTotal());
        assertTrue(jobs.get(0).getDone() >= 1);
        assertEquals(waitingId.get(), jobs.get(1).getJobId());
        assertEquals(JobState.JOB_STATE_WAITING, jobs.get(1).getState());
        assertEquals(1, jobs.get(1).getPosition());
        assertEquals(3, jobs.get(1).getPriority());
        assertEquals("b", jobs.get(1).getClientId());

        assertEquals(JobState.JOB_STATE_WAITING, client.cancelJob(waitingId.get()).getState());
        var w = assertThrows(StatusRuntimeException.class, () -> waiting.await(Duration.ofSeconds(30)));
        assertEquals("cancelled by CancelJob", w.getStatus().getDescription());
        assertEquals(JobState.JOB_STATE_RUNNING, client.cancelJob(runningId.get()).getState());
        var r = assertThrows(StatusRuntimeException.class, () -> running.await(Duration.ofSeconds(30)));
        assertEquals(Status.Code.CANCELLED, r.getStatus().getCode());
        assertFalse(client.listJobs().getJobsList().stream().anyMatch(j -> j.getJobId().equals(waitingId.join())));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
