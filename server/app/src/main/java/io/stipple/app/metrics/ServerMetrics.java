package io.stipple.app.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The server's Prometheus metrics, in one registry: the queue (depth, waits), jobs by outcome,
 * sampler steps (seconds and iterations per second, per model and size), model loads, unloads and
 * resident bytes, and the JVM's own. {@code --metrics-port} serves them; tests read the registry.
 */
public final class ServerMetrics {
    private static final double[] WAIT_BOUNDS = {0.01, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600};
    private static final double[] STEP_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60};
    private static final double[] RATE_BOUNDS = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200};

    private final PrometheusRegistry registry;
    private final Histogram queueWait;
    private final Counter jobs;
    private final Histogram stepSeconds;
    private final Histogram iterationsPerSecond;
    private final Counter modelLoads;
    private final Counter modelUnloads;

    private ServerMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        queueWait = Histogram.builder().name("stipple_queue_wait_seconds").help("Time jobs waited in the queue before they ran")
                .labelNames("kind").classicUpperBounds(WAIT_BOUNDS).register(registry);
        jobs = Counter.builder().name("stipple_jobs").help("Jobs ended, by kind and outcome (OK or the gRPC status code)")
                .labelNames("kind", "outcome").register(registry);
        stepSeconds = Histogram.builder().name("stipple_step_seconds").help("Seconds per sampler step (CFG included)")
                .labelNames("model", "size").classicUpperBounds(STEP_BOUNDS).register(registry);
        iterationsPerSecond = Histogram.builder().name("stipple_iterations_per_second").help("Sampler steps per second")
                .labelNames("model", "size").classicUpperBounds(RATE_BOUNDS).register(registry);
        modelLoads = Counter.builder().name("stipple_model_loads").help("Models loaded into the cache")
                .labelNames("family").register(registry);
        modelUnloads = Counter.builder().name("stipple_model_unloads").help("Models unloaded, by reason")
                .labelNames("reason").register(registry);
    }

    /** Metrics in a registry of their own, with the JVM's (the server's). */
    public static ServerMetrics withJvm() {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        return new ServerMetrics(registry);
    }

    /** Metrics in a registry of their own, without the JVM's (tests, tools). */
    public static ServerMetrics standalone() {
        return new ServerMetrics(new PrometheusRegistry());
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** A gauge read when scraped (queue depth, resident bytes). */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public void waited(String kind, Duration wait) {
        queueWait.labelValues(kind).observe(wait.toNanos() / 1e9);
    }

    public void ended(String kind, String outcome) {
        jobs.labelValues(kind, outcome).inc();
    }

    public void step(String model, int width, int height, double seconds) {
        String size = width + "x" + height;
        stepSeconds.labelValues(model, size).observe(seconds);
        if (seconds > 0) {
            iterationsPerSecond.labelValues(model, size).observe(1 / seconds);
        }
    }

    public void modelLoaded(String family) {
        modelLoads.labelValues(family).inc();
    }

    public void modelUnloaded(String reason) {
        modelUnloads.labelValues(reason).inc();
    }
}
