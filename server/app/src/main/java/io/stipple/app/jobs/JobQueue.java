package io.stipple.app.jobs;

import java.lang.System.Logger.Level;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded FIFO of jobs run one at a time by a single worker: a model step uses every core (or the
 * whole GPU), so running two at once only makes both slower and needs twice the memory.
 */
public final class JobQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobQueue.class.getName());

    private final int capacity;
    private final BlockingQueue<Job> waiting;
    private final AtomicInteger running = new AtomicInteger();
    private final Thread worker;
    private volatile boolean closed;

    public JobQueue(int capacity) {
        this.capacity = capacity;
        this.waiting = new LinkedBlockingQueue<>(capacity);
        this.worker = Thread.ofPlatform().name("stipple-jobs").daemon(true).unstarted(this::work);
        worker.start();
    }

    /**
     * Queues a job.
     *
     * @return how many jobs are ahead of it (running or waiting)
     * @throws QueueFullException when {@code capacity} jobs are already waiting
     */
    public synchronized int submit(Job job) {
        if (closed) {
            throw new IllegalStateException("the server is shutting down");
        }
        int ahead = waiting.size() + running.get();
        if (!waiting.offer(job)) {
            throw new QueueFullException(capacity);
        }
        return ahead;
    }

    public int waiting() {
        return waiting.size();
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
            String reason = job.cancellation();
            if (reason != null) {
                job.skipped(reason);
                continue;
            }
            running.incrementAndGet();
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "job failed outside its own error handling", e);
            } finally {
                running.decrementAndGet();
            }
        }
    }

    /** Stops taking jobs, cancels the waiting ones and waits (bounded) for the running one. */
    @Override
    public void close() {
        closed = true;
        Job j;
        while ((j = waiting.poll()) != null) {
            j.cancel("the server is shutting down");
            j.skipped("the server is shutting down");
        }
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
