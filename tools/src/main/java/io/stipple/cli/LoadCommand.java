package io.stipple.cli;

import io.grpc.Status;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.PreviewOptions;
import io.stipple.proto.v1.Scheduling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Sends many generations at once, as several clients, and checks that each ended exactly once: with its",
            "image, or CANCELLED when this command cancelled it. Prints throughput, latency and queue wait."})
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--clients", paramLabel = "N", defaultValue = "8", description = "Clients sending at once (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", paramLabel = "M", defaultValue = "64", description = "Requests in all (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--cancel-fraction", paramLabel = "F", defaultValue = "0", description = "Share of requests cancelled at a random step (default: ${DEFAULT-VALUE}).")
    double cancelFraction;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "stipple-demo-shapes.safetensors", description = "Checkpoint (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "8", description = "Steps per request (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--size", paramLabel = "PIXELS", defaultValue = "64", description = "Width and height (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seeds which requests are cancelled and when (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    RemoteOptions remote;

    @Mixin
    ServerOptions serverOptions;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > 256) {
            throw new UserError("--clients: " + clients + " (expected: 1 to 256)");
        }
        if (requests < 1 || requests > 100_000) {
            throw new UserError("--requests: " + requests + " (expected: 1 to 100000)");
        }
        if (!(cancelFraction >= 0 && cancelFraction <= 1)) {
            throw new UserError("--cancel-fraction: " + cancelFraction + " (expected: 0 to 1)");
        }
        if (steps < 2) {
            throw new UserError("--steps: " + steps + " (expected: at least 2, so that a cancel can land between steps)");
        }
        Logging.quiet();
        Random random = new Random(seed);
        int[] cancelAt = new int[requests];
        for (int i = 0; i < requests; i++) {
            cancelAt[i] = random.nextDouble() < cancelFraction ? 1 + random.nextInt(steps - 1) : 0;
        }
        try (Connection connection = Connection.open(remote, serverOptions)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<LoadRequest.Outcome>> futures = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < requests; i++) {
                int n = i;
                GenerateRequest request = GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint(model))
                        .setPrompt("a red circle on a blue background").setWidth(size).setHeight(size).setSteps(steps).setSeed(n)
                        .setPreview(PreviewOptions.newBuilder().setEveryNSteps(0))
                        .setScheduling(Scheduling.newBuilder().setClientId("load-" + (n % clients))).build();
                futures.add(pool.submit(() -> LoadRequest.run(connection.client(), request, cancelAt[n], Duration.ofMinutes(30))));
            }
            List<LoadRequest.Outcome> outcomes = new ArrayList<>();
            for (var f : futures) {
                outcomes.add(f.get());
            }
            pool.shutdown();
            return report(outcomes, cancelAt, System.nanoTime() - started);
        }
    }

    /** Prints the figures; exit 0 when every request ended exactly once, as it should have. */
    private int report(List<LoadRequest.Outcome> outcomes, int[] cancelAt, long wallNanos) {
        Map<Status.Code, Integer> byCode = new EnumMap<>(Status.Code.class);
        List<Long> latencies = new ArrayList<>();
        List<Long> waits = new ArrayList<>();
        int accounted = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            LoadRequest.Outcome o = outcomes.get(i);
            if (o.code() == null) {
                problems.add("request " + i + " never ended");
                continue;
            }
            byCode.merge(o.code(), 1, Integer::sum);
            boolean expected = cancelAt[i] > 0 ? o.code() == Status.Code.CANCELLED || (o.code() == Status.Code.OK && o.images() == 1)
                    : o.code() == Status.Code.OK && o.images() == 1;
            if (o.ends() != 1) {
                problems.add("request " + i + " ended " + o.ends() + " times");
            } else if (!expected) {
                problems.add("request " + i + " ended with " + o.code() + " and " + o.images() + " image(s)");
            } else {
                accounted++;
            }
            if (o.code() == Status.Code.OK) {
                latencies.add(o.latencyNanos());
                waits.add(o.queuedMillis() * 1_000_000);
            }
        }
        double seconds = wallNanos / 1e9;
        int completed = byCode.getOrDefault(Status.Code.OK, 0);
        System.out.printf("requests: %d from %d clients in %.1f s; %s%n", outcomes.size(), clients, seconds, byCode);
        System.out.printf("throughput: %.2f images/s%n", completed / seconds);
        System.out.printf("latency (completed): p50 %s, p99 %s; queue wait: p50 %s, p99 %s%n", millis(latencies, 50), millis(latencies, 99),
                millis(waits, 50), millis(waits, 99));
        System.out.printf("accounted for: %d of %d requests%n", accounted, outcomes.size());
        problems.stream().limit(20).forEach(p -> System.out.println("problem: " + p));
        return problems.isEmpty() ? 0 : ErrorHandler.FAILED;
    }

    private static String millis(List<Long> nanos, int percentile) {
        if (nanos.isEmpty()) {
            return "-";
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
        return (sorted.get(Math.max(0, index)) / 1_000_000) + " ms";
    }
}
