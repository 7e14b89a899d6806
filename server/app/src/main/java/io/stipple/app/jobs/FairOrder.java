package io.stipple.app.jobs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order waiting jobs run in: the highest priority first; within a priority, clients take turns
 * (round-robin: a client served goes to the back of the rotation, a new client joins at the back),
 * and each client's own jobs run first in, first out. Not thread-safe: {@link JobQueue} guards it.
 */
final class FairOrder {
    /** The jobs of one priority: who is next, and each client's jobs in the order they came. */
    private static final class Level {
        final ArrayDeque<String> rotation = new ArrayDeque<>();
        final Map<String, ArrayDeque<Job>> byClient = new HashMap<>();

        Level copy() {
            Level c = new Level();
            c.rotation.addAll(rotation);
            byClient.forEach((k, v) -> c.byClient.put(k, new ArrayDeque<>(v)));
            return c;
        }

        Job poll() {
            String client = rotation.pollFirst();
            ArrayDeque<Job> jobs = byClient.get(client);
            Job job = jobs.pollFirst();
            if (jobs.isEmpty()) {
                byClient.remove(client);
            } else {
                rotation.addLast(client);
            }
            return job;
        }

        boolean isEmpty() {
            return rotation.isEmpty();
        }
    }

    private final TreeMap<Integer, Level> levels = new TreeMap<>(Comparator.reverseOrder());
    private int size;

    void add(Job job) {
        Level level = levels.computeIfAbsent(job.scheduling().priority(), p -> new Level());
        ArrayDeque<Job> jobs = level.byClient.computeIfAbsent(job.scheduling().clientId(), c -> {
            level.rotation.addLast(c);
            return new ArrayDeque<>();
        });
        jobs.addLast(job);
        size++;
    }

    /** The job to run next, removed; null when none waits. */
    Job poll() {
        if (levels.isEmpty()) {
            return null;
        }
        var first = levels.firstEntry();
        Job job = first.getValue().poll();
        if (first.getValue().isEmpty()) {
            levels.remove(first.getKey());
        }
        size--;
        return job;
    }

    /** Removes a waiting job; false when it was not waiting. */
    boolean remove(Job job) {
        Level level = levels.get(job.scheduling().priority());
        ArrayDeque<Job> jobs = level == null ? null : level.byClient.get(job.scheduling().clientId());
        if (jobs == null || !jobs.remove(job)) {
            return false;
        }
        if (jobs.isEmpty()) {
            level.byClient.remove(job.scheduling().clientId());
            level.rotation.remove(job.scheduling().clientId());
            if (level.isEmpty()) {
                levels.remove(job.scheduling().priority());
            }
        }
        size--;
        return true;
    }

    /** Every waiting job in the order they will run if nothing else arrives. */
    List<Job> inOrder() {
        List<Job> out = new ArrayList<>(size);
        for (Level level : levels.values()) {
            Level copy = level.copy();
            while (!copy.isEmpty()) {
                out.add(copy.poll());
            }
        }
        return out;
    }

    int size() {
        return size;
    }
}
