package io.stipple.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Parallel loops over index ranges for the CPU kernels, on a pool of one thread per core (the
 * common pool would leave one core idle: it runs {@code cores - 1} workers).
 */
final class Parallel {
    private static final ForkJoinPool POOL = new ForkJoinPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName("stipple-cpu-" + t.getPoolIndex());
                t.setDaemon(true);
                return t;
            },
            null, false);

    /** Below this much work (elements touched, roughly) a loop runs on the calling thread. */
    private static final long SERIAL_WORK = 1 << 15;

    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private Parallel() {}

    static int threads() {
        return POOL.getParallelism();
    }

    /**
     * Runs {@code body} over [0, n) split into contiguous ranges; {@code workPerIndex} estimates the
     * cost of one index so that small loops stay serial.
     */
    static void forRange(int n, long workPerIndex, RangeBody body) {
        if (n <= 0) {
            return;
        }
        int threads = threads();
        if (threads == 1 || n == 1 || (long) n * workPerIndex < SERIAL_WORK
                || (Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w && w.getPool() == POOL)) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads * 4);
        POOL.invoke(new Split(body, 0, n, Math.max(1, (n + chunks - 1) / chunks)));
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from;
        private final int to;
        private final int grain;

        Split(RangeBody body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(body, from, mid, grain), new Split(body, mid, to, grain));
        }
    }
}
