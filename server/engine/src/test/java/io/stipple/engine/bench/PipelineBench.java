package io.stipple.engine.bench;

import io.stipple.engine.pipeline.GenerationListener;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.GenerationResult;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.Pipeline;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.testing.TestBackend;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cuda.ops.CudaOps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engine alone, timed on the backend {@code -Dstipple.test.backend} names: what {@code tools/gpu/check
 * run} measures on a GPU machine, which has no server distribution, only the engine's jars. One
 * warm-up generation of two steps, then one of {@code steps}: seconds per step (the sampling time,
 * ended by reading the latent back, over the steps), text encode, VAE decode, and the device's peak.
 *
 * <p>{@code PipelineBench MODEL.safetensors WIDTH HEIGHT STEPS OUT.json}
 */
public final class PipelineBench {
    private PipelineBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: PipelineBench MODEL.safetensors WIDTH HEIGHT STEPS OUT.json");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        Ops ops = TestBackend.ops();
        long t0 = System.nanoTime();
        try (TensorIndex index = new SafetensorsFormat().open(model)) {
            StableDiffusionModel m = ModelLoader.load(model.getFileName().toString(), new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32),
                    ops);
            double load = seconds(System.nanoTime() - t0);
            run(m, width, height, 2); // warm-up: first use of every weight converts it, the JIT compiles
            List<Double> stepSeconds = new ArrayList<>();
            long[] last = {System.nanoTime()};
            long s0 = System.nanoTime();
            GenerationResult r = run(m, width, height, steps, new GenerationListener() {
                @Override
                public void onProgress(int step, int total, float sigma, long elapsedMillis) {
                    long now = System.nanoTime();
                    stepSeconds.add(seconds(now - last[0]));
                    last[0] = now;
                }
            });
            double sampling = seconds(System.nanoTime() - s0) - r.timings().encodeMillis() / 1000.0;
            long d0 = System.nanoTime();
            Pipeline.decode(m, r.latent());
            double decode = seconds(System.nanoTime() - d0);
            long peak = ops instanceof CudaOps cuda ? cuda.memoryUse().peakInUseBytes() : -1;
            String json = String.format(Locale.ROOT,
                    "{\"model\":\"%s\",\"family\":\"%s\",\"backend\":\"%s\",\"width\":%d,\"height\":%d,\"steps\":%d,\"load_seconds\":%.3f,"
                            + "\"text_encode_seconds\":%.3f,\"sampling_seconds\":%.3f,\"it_per_second\":%.3f,\"step_seconds\":%s,"
                            + "\"vae_decode_seconds\":%.3f,\"peak_device_bytes\":%d}",
                    model.getFileName(), m.family().id(), ops.name(), width, height, steps, load, r.timings().encodeMillis() / 1000.0, sampling,
                    steps / sampling, stepSeconds, decode, peak);
            Files.writeString(Path.of(args[4]), json + "\n");
            System.out.println(json);
        }
    }

    private static GenerationResult run(StableDiffusionModel m, int width, int height, int steps) {
        return run(m, width, height, steps, GenerationListener.NONE);
    }

    /** Sampling ended by reading the latent back, so that a device's queued work is inside the time. */
    private static GenerationResult run(StableDiffusionModel m, int width, int height, int steps, GenerationListener listener) {
        var request = new GenerationRequest("a photograph of an astronaut riding a horse", "blurry", width, height, 1, 1, steps, 7f, "euler",
                "normal", 1.0, 0, null, null, 0, 256);
        GenerationResult r = Pipeline.runWithoutDecode(m, request, TestPlugins.sampler("euler"), TestPlugins.scheduler("normal"), listener);
        Tensor latent = r.latent();
        latent.toArray();
        return r;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
