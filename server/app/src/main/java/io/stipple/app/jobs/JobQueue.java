package io.stipple.app.jobs;

import io.stipple.app.metrics.ServerMetrics;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The jobs waiting and the one running, run one at a time by a single worker: a model step uses
 * every core (or the whole GPU), so running two at once only makes both slower and needs twice the
 * memory. Waiting jobs run in {@link FairOrder}. The bound is both a count and the bytes the waiting
 * jobs hold, so that many queued image-to-image requests cannot fill the heap before one runs.
 */
public final class JobQueue implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JobQueue.class.getName());

    private final int capacity;
    private final long maxWaitingBytes;
    private final FairOrder waiting = new FairOrder();
    private final Map<String, Job> byId = new HashMap<>();
    private final Map<Job, Integer> toldPosition = new HashMap<>();
    private final Thread worker;
    private final ServerMetrics metrics;
    private long waitingBytes;
    private Job running;
    private boolean closed;

    public JobQueue(int capacity, long maxWaitingBytes) {
        this(capacity, maxWaitingBytes, ServerMetrics.standalone());
    }

    public JobQueue(int capacity, long maxWaitingBytes, ServerMetrics metrics) {
        this.capacity = capacity;
        this.maxWaitingBytes = maxWaitingBytes;
        this.metrics = metrics;
        metrics.gauge("stipple_queue_depth", "Jobs waiting (the running one not counted)", this::waiting);
        this.worker = Thread.ofPlatform().name("stipple-jobs").daemon(true).unstarted(this::work);
        worker.start();
    }

    /**
     * Queues a job; it is told its position before this returns (its first event), and again each
     * time the position changes.
     *
     * @return how many jobs are ahead of it (running or waiting)
     * @throws QueueFullException when {@code capacity} jobs are already waiting, or they hold too many bytes
     * @throws JobCancelledException when the server is shutting down
     */
    public synchronized int submit(Job job) {
        if (closed) {
            throw new JobCancelledException(Cancellation.SHUTDOWN);
        }
        if (waiting.size() >= capacity) {
            throw new QueueFullException(capacity, capacity + " jobs are waiting");
        }
        if (waitingBytes + job.heldBytes() > maxWaitingBytes && waiting.size() > 0) {
            throw new QueueFullException(capacity, (waitingBytes >> 20) + " MiB of request data are already waiting (at most "
                    + (maxWaitingBytes >> 20) + " MiB)");
        }
        waiting.add(job);
        byId.put(job.id(), job);
        waitingBytes += job.heldBytes();
        tellPositions();
        notifyAll();
        return toldPosition.get(job);
    }

    /**
     * Cancels a job; one still waiting leaves the queue at once (its slot is free again) and its call
     * ends. A running job stops at its next check.
     */
    public void cancel(Job job, Cancellation reason) {
        job.cancel(reason);
        boolean removed;
        synchronized (this) {
            removed = removeWaiting(job);
            if (removed) {
                tellPositions();
            }
        }
        if (removed) {
            job.endCall(reason);
            metrics.ended(job.kind().label(), job.outcome());
        }
    }

    /**
     * Cancels the job with this id (CancelJob).
     *
     * @return whether it was running (it stops at its next step) or waiting (it left the queue); empty
     *     when the queue holds no such job
     */
    public Optional<Boolean> cancel(String id, Cancellation reason) {
        Job job;
        boolean wasRunning;
        synchronized (this) {
            job = byId.get(id);
            if (job == null) {
                return Optional.empty();
            }
            wasRunning = job == running;
        }
        cancel(job, reason);
        return Optional.of(wasRunning);
    }

    /** The running job first, then the waiting ones in the order they will run. */
    public synchronized List<JobSnapshot> jobs() {
        long now = System.nanoTime();
        List<JobSnapshot> out = new ArrayList<>();
        if (running != null) {
            out.add(snapshot(running, true, 0, now));
        }
        int ahead = running != null ? 1 : 0;
        for (Job j : waiting.inOrder()) {
            out.add(snapshot(j, false, ahead++, now));
        }
        return out;
    }

    private static JobSnapshot snapshot(Job j, boolean running, int position, long now) {
        return new JobSnapshot(j.id(), j.kind(), running, position, j.scheduling(), running ? j.done() : 0, running ? j.total() : 0,
                (now - j.createdNanos()) / 1_000_000);
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** A log line's fields, key=value, so that log tools can follow one job through the log. */
    private static String line(Job job, String event) {
        return "job=" + job.id() + " kind=" + job.kind().label() + " event=" + event + " priority=" + job.scheduling().priority()
                + " client=\"" + job.scheduling().clientId().replace("\"", "'") + "\"";
    }

    /** Tells each waiting job its position where it changed since it was last told. */
    private void tellPositions() {
        int ahead = running != null ? 1 : 0;
        for (Job j : waiting.inOrder()) {
            Integer told = toldPosition.put(j, ahead);
            if (told == null || told != ahead) {
                j.positionChanged(ahead);
            }
            ahead++;
        }
    }

    private boolean removeWaiting(Job job) {
        if (!waiting.remove(job)) {
            return false;
        }
        forget(job);
        waitingBytes -= job.heldBytes();
        return true;
    }

    private void forget(Job job) {
        byId.remove(job.id());
        toldPosition.remove(job);
    }

    /** The next job to run, now the running one; null once the queue is closed. */
    private synchronized Job take() throws InterruptedException {
        while (!closed && waiting.size() == 0) {
            wait();
        }
        if (closed) {
            return null;
        }
        Job job = waiting.poll();
        waitingBytes -= job.heldBytes();
        toldPosition.remove(job);
        running = job;
        long waited = System.nanoTime() - job.createdNanos();
        metrics.waited(job.kind().label(), Duration.ofNanos(waited));
        LOG.log(Level.INFO, () -> line(job, "started") + " waited_ms=" + waited / 1_000_000);
        return job;
    }

    private synchronized void finished(Job job) {
        running = null;
        forget(job);
        tellPositions();
    }

    private void work() {
        while (true) {
            Job job;
            try {
                job = take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                return;
            }
            try {
                Cancellation reason = job.cancellation();
                if (reason != null) {
                    job.endCall(reason);
                } else {
                    job.run();
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "job failed outside its own error handling", e);
            } finally {
                finished(job);
                metrics.ended(job.kind().label(), job.outcome());
                LOG.log(Level.INFO, () -> line(job, "ended") + " outcome=" + job.outcome() + " total_ms="
                        + (System.nanoTime() - job.createdNanos()) / 1_000_000);
            }
        }
    }

    /**
     * The first half of a shutdown: takes no more jobs, and ends every waiting job's call at once
     * (UNAVAILABLE: the server is shutting down). The running job goes on.
     */
    public void stopAccepting() {
        List<Job> dropped;
        synchronized (this) {
            closed = true;
            dropped = waiting.inOrder();
            dropped.forEach(this::removeWaiting);
            notifyAll();
        }
        for (Job j : dropped) {
            j.cancel(Cancellation.SHUTDOWN);
            j.endCall(Cancellation.SHUTDOWN);
            metrics.ended(j.kind().label(), j.outcome());
        }
    }

    /**
     * The second half, when the grace period is over: the running job is cancelled and its call ended
     * now (it may be inside a long step that checks for cancellation only at its end), then the worker
     * is given {@code wait} to finish.
     */
    public void stopRunning(Duration wait) {
        Job j;
        synchronized (this) {
            j = running;
        }
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

    /**
     * After {@link #stopAccepting}: waits up to {@code wait} for the running job to end on its own.
     * For callers with no gRPC call to wait on (the ComfyUI port's prompts).
     *
     * @return whether the worker has ended
     */
    public boolean awaitWorker(Duration wait) {
        try {
            worker.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !worker.isAlive();
    }

    @Override
    public void close() {
        stopAccepting();
        stopRunning(Duration.ofSeconds(5));
    }
}
