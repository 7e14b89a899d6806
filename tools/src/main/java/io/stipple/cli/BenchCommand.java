package io.stipple.cli;

import io.stipple.app.metrics.ServerMetrics;
import io.stipple.app.models.ModelCache;
import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.pipeline.GenerationListener;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.GenerationResult;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.Pipeline;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.model.unet.UnetFlops;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times a generation: model load, seconds per sampler step, VAE decode, peak memory.",
            "A step is one CFG step (the UNet at batch 2). Random weights time the same as real ones."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Checkpoint file.")
    Path model;

    @Option(names = "--width", defaultValue = "512", description = "Width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "512", description = "Height (default: ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--steps", defaultValue = "2", description = "Sampler steps to time (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "cpu|cuda|cuda-emulated",
            description = "Backend to time (default: ${DEFAULT-VALUE}; cuda-emulated runs the CUDA kernels on the host and is slow).")
    String backend;

    @Option(names = "--no-decode", description = "Skip the VAE decode.")
    boolean noDecode;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins folder (default: the distribution's plugins/).")
    Path plugins;

    @Option(names = "--repeat", defaultValue = "1", description = "Generations to time, one after another (default: ${DEFAULT-VALUE}); "
            + "the first step of the first is the cold one.")
    int repeat;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Logging.quiet();
        if (!Files.isRegularFile(model)) {
            throw new UserError("--model: " + model + ": no such file");
        }
        if (width % 8 != 0 || height % 8 != 0) {
            throw new UserError("--width/--height: " + width + "x" + height + " (expected: multiples of 8)");
        }
        if (repeat < 1 || steps < 1) {
            throw new UserError("--repeat/--steps: " + repeat + "/" + steps + " (expected: at least 1)");
        }
        Ops ops = BackendOption.open(backend);
        try (LocalPlugins local = new LocalPlugins(plugins != null ? plugins : Distribution.plugins())) {
            CheckpointOpener opener = local.opener();
            ModelCache cache = new ModelCache(opener, ops, 1, 0, ServerMetrics.standalone());
            long t0 = System.nanoTime();
            List<TensorIndex> files = new ArrayList<>();
            StableDiffusionModel m = ModelLoader.load(model.getFileName().toString(), cache.openWeights(model, files), ops);
            double load = (System.nanoTime() - t0) / 1e9;
            System.out.println("model: " + m.family().id() + ", " + m.architecture().unet());
            System.out.println("backend: " + ops.name() + ", gemm: " + BackendOption.gemm(ops) + ", " + Runtime.getRuntime().availableProcessors()
                    + " cores, heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
            var request = new GenerationRequest("a photograph of an astronaut riding a horse", "blurry", width, height, 1, 1, steps, 7f,
                    "euler", "normal", 1.0, 0, null, null, 0, 256);
            var sampler = local.registry().sampler("euler").orElseThrow();
            var scheduler = local.registry().scheduler("normal").orElseThrow();
            List<Double> stepSeconds = new ArrayList<>();
            List<Double> encodeSeconds = new ArrayList<>();
            List<Double> decodeSeconds = new ArrayList<>();
            for (int run = 0; run < repeat; run++) {
                long[] last = {System.nanoTime()};
                GenerationResult r = runOrSkipDecode(m, request, sampler, scheduler, new GenerationListener() {
                    @Override
                    public void onProgress(int step, int total, float sigma, long elapsedMillis) {
                        long now = System.nanoTime();
                        stepSeconds.add((now - last[0]) / 1e9);
                        last[0] = now;
                        System.out.printf(Locale.ROOT, "step %d/%d: %.2f s%n", step, total, stepSeconds.getLast());
                    }
                });
                encodeSeconds.add(r.timings().encodeMillis() / 1000.0);
                decodeSeconds.add(r.timings().decodeMillis() / 1000.0);
            }
            BenchFigures f = new BenchFigures(model.getFileName().toString(), m.family().id(), ops.name(), BackendOption.gemm(ops), width, height,
                    steps, repeat, load, stepSeconds, median(encodeSeconds), noDecode ? Double.NaN : median(decodeSeconds),
                    PeakMemory.residentBytes(), UnetFlops.forward(m.architecture().unet(), 2, height / 8, width / 8, 77) / 1e9);
            System.out.println(f.summary());
            if (json != null) {
                Files.writeString(json, f.json() + "\n");
            }
            files.forEach(TensorIndex::close);
        }
        return 0;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private GenerationResult runOrSkipDecode(StableDiffusionModel m, GenerationRequest request,
            io.stipple.plugin.api.Sampler sampler, io.stipple.plugin.api.Scheduler scheduler, GenerationListener listener) {
        if (!noDecode) {
            return Pipeline.run(m, request, sampler, scheduler, listener);
        }
        return Pipeline.runWithoutDecode(m, request, sampler, scheduler, listener);
    }
}
