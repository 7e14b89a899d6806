package io.stipple.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The queue with a deterministic fake job runner: a first job holds the worker while the others are
 * queued, so the order they then run in, the positions they are told and what CancelJob does are
 * exact.
 */
class JobQueueOrderTest {
    private static final List<String> RAN = new CopyOnWriteArrayList<>();

    private static final class Fake extends Job {
        final String name;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> positions = new CopyOnWriteArrayList<>();
        final List<Cancellation> ended = new CopyOnWriteArrayList<>();

        Fake(String name, int priority, String client, boolean holds) {
            super(Kind.GENERATE, new Scheduling(priority, client));
            this.name = name;
            if (!holds) {
                release.countDown();
            }
        }

        @Override
        public void run() {
            RAN.add(name);
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected void positionChanged(int jobsAhead) {
            positions.add(jobsAhead);
        }

        @Override
        protected void endCall(Cancellation reason) {
            ended.add(reason);
        }
    }

    @Test
    void priorityAndFairnessDecideTheOrderAndPositionsAreRetold() throws Exception {
        RAN.clear();
        JobQueue queue = new JobQueue(100, Long.MAX_VALUE);
        Fake blocker = new Fake("blocker", 0, "x", true);
        assertEquals(0, queue.submit(blocker));
        assertTrue(blocker.started.await(10, TimeUnit.SECONDS));

        Map<String, Fake> jobs = new ConcurrentHashMap<>();
        for (String[] j : new String[][] {{"a1", "0", "a"}, {"a2", "0", "a"}, {"a3", "0", "a"}, {"b1", "0", "b"}, {"urgent", "5", "c"}}) {
            Fake f = new Fake(j[0], Integer.parseInt(j[1]), j[2], false);
            jobs.put(j[0], f);
            queue.submit(f);
        }
        // the running blocker counts as one ahead
        assertEquals(List.of(2, 3, 4), jobs.get("a2").positions, "a2 moved back as b1 took its turn and urgent came in ahead");
        assertEquals(List.of(3, 4, 5), jobs.get("a3").positions);
        assertEquals(List.of(1), jobs.get("urgent").positions);

        var listed = queue.jobs();
        assertEquals(List.of("blocker", "urgent", "a1", "b1", "a2", "a3"),
                listed.stream().map(s -> s.id().equals(blocker.id()) ? "blocker" : name(jobs, s.id())).toList());
        assertTrue(listed.getFirst().running());

        assertEquals(Optional.of(false), queue.cancel(jobs.get("b1").id(), Cancellation.CANCEL_JOB));
        assertEquals(List.of(Cancellation.CANCEL_JOB), jobs.get("b1").ended);
        assertEquals(List.of(2, 3, 4, 3), jobs.get("a2").positions, "a2 moves up when b1 leaves");
        assertEquals(Optional.empty(), queue.cancel("no-such-job", Cancellation.CANCEL_JOB));

        blocker.release.countDown();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (queue.jobs().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("blocker", "urgent", "a1", "a2", "a3"), RAN);
        assertEquals(0, jobs.get("a3").positions.getLast(), "told it runs next before it ran");
        queue.close();
    }

    private static String name(Map<String, Fake> jobs, String id) {
        return jobs.values().stream().filter(f -> f.id().equals(id)).findFirst().map(f -> f.name).orElse("?");
    }
}
