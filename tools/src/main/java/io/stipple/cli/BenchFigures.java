package io.stipple.cli;

import java.util.List;
import java.util.Locale;

/**
 * What {@code stipple bench} measured: the model load, every sampler step in order (the first one
 * cold: weights converted on first use, code not yet compiled), text encoding, VAE decoding, peak
 * memory, and the UNet's analytic work per CFG step, from which the achieved GFLOP/s follow.
 */
record BenchFigures(String model, String family, String backend, String gemm, int width, int height, int steps, int repeat,
        double loadSeconds, List<Double> stepSeconds, double textEncodeSeconds, double vaeDecodeSeconds, long peakRssBytes,
        double unetGflopsPerStep) {

    double firstStepSeconds() {
        return stepSeconds.getFirst();
    }

    /** The median of every step but the first (of the only one, when there is one). */
    double steadyStepSeconds() {
        return BenchCommand.median(stepSeconds.size() > 1 ? stepSeconds.subList(1, stepSeconds.size()) : stepSeconds);
    }

    String summary() {
        return String.format(Locale.ROOT,
                "load %.1f s, text encode %.2f s, first step %.2f s, steady step %.2f s (median; %dx%d, CFG batch 2, %.0f GFLOP: %.1f GFLOP/s),"
                        + " VAE decode %s, peak RSS %.2f GiB",
                loadSeconds, textEncodeSeconds, firstStepSeconds(), steadyStepSeconds(), width, height, unetGflopsPerStep,
                unetGflopsPerStep / steadyStepSeconds(), Double.isNaN(vaeDecodeSeconds) ? "skipped" : String.format(Locale.ROOT, "%.1f s", vaeDecodeSeconds),
                peakRssBytes / (double) (1L << 30));
    }

    String json() {
        return String.format(Locale.ROOT,
                "{\"model\":\"%s\",\"family\":\"%s\",\"backend\":\"%s\",\"gemm\":\"%s\",\"width\":%d,\"height\":%d,\"steps\":%d,"
                        + "\"repeat\":%d,\"load_seconds\":%.3f,\"first_step_seconds\":%.3f,\"step_seconds_median\":%.3f,\"step_seconds\":%s,"
                        + "\"text_encode_seconds\":%.3f,\"vae_decode_seconds\":%s,\"peak_rss_bytes\":%d,\"unet_gflops_per_step\":%.3f,"
                        + "\"unet_gflops_per_second\":%.3f}",
                escape(model), family, backend, gemm, width, height, steps, repeat, loadSeconds, firstStepSeconds(), steadyStepSeconds(),
                stepSeconds.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).toList(), textEncodeSeconds,
                Double.isNaN(vaeDecodeSeconds) ? "null" : String.format(Locale.ROOT, "%.3f", vaeDecodeSeconds), peakRssBytes,
                unetGflopsPerStep, unetGflopsPerStep / steadyStepSeconds());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
