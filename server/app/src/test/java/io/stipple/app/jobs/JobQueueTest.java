package io.stipple.app.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The queue's bounds (jobs and the bytes they hold) and how its calls end at shutdown. */
class JobQueueTest {
    /** A job that holds {@code bytes} and runs until released. */
    private static final class HeldJob extends Job {
        final long bytes;
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Cancellation> ended = new CopyOnWriteArrayList<>();

        HeldJob(long bytes) {
            super(Kind.GENERATE, Scheduling.DEFAULT);
            this.bytes = bytes;
        }

        @Override
        public long heldBytes() {
            return bytes;
        }

        @Override
        public void run() {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected void endCall(Cancellation reason) {
            ended.add(reason);
        }
    }

    @Test
    void waitingJobsMayHoldOnlySoManyBytes() throws Exception {
        JobQueue queue = new JobQueue(10, 100);
        HeldJob first = new HeldJob(90);
        queue.submit(first);
        assertTrue(first.running.await(10, TimeUnit.SECONDS));
        queue.submit(new HeldJob(60)); // one waiting job may exceed the bound alone
        var full = assertThrows(QueueFullException.class, () -> queue.submit(new HeldJob(50)));
        assertTrue(full.getMessage().contains("of request data are already waiting"), full.getMessage());
        queue.submit(new HeldJob(40)); // 60 + 40 fits
        assertEquals(2, queue.waiting());
        first.release.countDown();
        queue.close();
    }

    @Test
    void shutdownEndsWaitingCallsAtOnceAndTheRunningOneWhenAsked() throws Exception {
        JobQueue queue = new JobQueue(10, Long.MAX_VALUE);
        HeldJob running = new HeldJob(0);
        HeldJob waiting = new HeldJob(0);
        queue.submit(running);
        assertTrue(running.running.await(10, TimeUnit.SECONDS));
        queue.submit(waiting);

        queue.stopAccepting();
        assertEquals(List.of(Cancellation.SHUTDOWN), waiting.ended);
        assertEquals(List.of(), running.ended, "the running job gets its grace period");
        var refused = assertThrows(JobCancelledException.class, () -> queue.submit(new HeldJob(0)));
        assertEquals(Cancellation.SHUTDOWN, refused.reason());

        queue.stopRunning(Duration.ofMillis(100));
        assertEquals(List.of(Cancellation.SHUTDOWN), running.ended);
        assertEquals(Cancellation.SHUTDOWN, running.cancellation());
        running.release.countDown();
    }
}
