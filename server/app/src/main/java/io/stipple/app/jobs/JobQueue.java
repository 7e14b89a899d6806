package io.stipple.app.jobs;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded FIFO of jobs run one at a time by a single worker: a model step uses every core (or the
 * whole GPU), so running two at once only makes both slower and needs twice the memory. The bound
 * is both a count and the bytes the waiting jobs hold, so that many queued image-to-image requests
 * cannot fill the heap before one of them runs.
 */
public final class JobQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobQueue.class.getName());

    private final int capacity;
    private final long maxWaitingBytes;
    private final BlockingQueue<Job> waiting;
    private final AtomicLong waitingBytes = new AtomicLong();
    private final AtomicReference<Job> running = new AtomicReference<>();
    private final Thread worker;
    private volatile boolean closed;

    public JobQueue(int capacity, long maxWaitingBytes) {
        this.capacity = capacity;
        this.maxWaitingBytes = maxWaitingBytes;
        this.waiting = new LinkedBlockingQueue<>(capacity);
        this.worker = Thread.ofPlatform().name("stipple-jobs").daemon(true).unstarted(this::work);
        worker.start();
    }

    /**
     * Queues a job.
     *
     * @return how many jobs are ahead of it (running or waiting)
     * @throws QueueFullException when {@code capacity} jobs are already waiting, or they hold too many bytes
     * @throws JobCancelledException when the server is shutting down
     */
    public synchronized int submit(Job job) {
        if (closed) {
            throw new JobCancelledException(Cancellation.SHUTDOWN);
        }
        int ahead = waiting.size() + (running.get() != null ? 1 : 0);
        long bytes = job.heldBytes();
        if (waitingBytes.get() + bytes > maxWaitingBytes && !waiting.isEmpty()) {
            throw new QueueFullException(capacity, (waitingBytes.get() >> 20) + " MiB of request data are already waiting (at most "
                    + (maxWaitingBytes >> 20) + " MiB)");
        }
        if (!waiting.offer(job)) {
            throw new QueueFullException(capacity, capacity + " jobs are waiting");
        }
        waitingBytes.addAndGet(bytes);
        return ahead;
    }

    /**
     * Cancels a job; one still waiting leaves the queue at once (its slot is free again) and its call
     * ends. A running job stops at its next check.
     */
    public void cancel(Job job, Cancellation reason) {
        job.cancel(reason);
        if (remove(job)) {
            job.endCall(reason);
        }
    }

    public int waiting() {
        return waiting.size();
    }

    private boolean remove(Job job) {
        if (waiting.remove(job)) {
            waitingBytes.addAndGet(-job.heldBytes());
            return true;
        }
        return false;
    }

    private void work() {
        while (!closed) {
            Job job;
            try {
                job = waiting.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                continue;
            }
            waitingBytes.addAndGet(-job.heldBytes());
            Cancellation reason = job.cancellation();
            if (reason != null) {
                job.endCall(reason);
                continue;
            }
            running.set(job);
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "job failed outside its own error handling", e);
            } finally {
                running.set(null);
            }
        }
    }

    /**
     * The first half of a shutdown: takes no more jobs, and ends every waiting job's call at once
     * (UNAVAILABLE: the server is shutting down). The running job goes on.
     */
    public void stopAccepting() {
        synchronized (this) {
            closed = true;
        }
        Job j;
        while ((j = waiting.poll()) != null) {
            waitingBytes.addAndGet(-j.heldBytes());
            j.cancel(Cancellation.SHUTDOWN);
            j.endCall(Cancellation.SHUTDOWN);
        }
    }

    /**
     * The second half, when the grace period is over: the running job is cancelled and its call ended
     * now (it may be inside a long step that checks for cancellation only at its end), then the worker
     * is given {@code wait} to finish.
     */
    public void stopRunning(Duration wait) {
        Job j = running.get();
        if (j != null) {
            j.cancel(Cancellation.SHUTDOWN);
            j.endCall(Cancellation.SHUTDOWN);
        }
        try {
            worker.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        stopRunning(Duration.ofSeconds(5));
    }
}
