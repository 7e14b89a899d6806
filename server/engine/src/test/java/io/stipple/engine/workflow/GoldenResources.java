package io.stipple.engine.workflow;

import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.lora.lycoris.BoftAdapter;
import io.stipple.lora.lycoris.DiffAdapter;
import io.stipple.lora.lycoris.GloraAdapter;
import io.stipple.lora.lycoris.LohaAdapter;
import io.stipple.lora.lycoris.LokrAdapter;
import io.stipple.lora.lycoris.LowRankAdapter;
import io.stipple.lora.lycoris.OftAdapter;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The golden manifests' names ({@code shared/golden/models/sd15_tiny.safetensors}) resolved inside
 * testdata/golden, with the plugins on the test class path; checkpoints stay loaded until closed.
 */
final class GoldenResources implements WorkflowResources, AutoCloseable {
    private static final String PREFIX = "shared/golden/";
    private final Ops ops = io.stipple.engine.testing.TestBackend.ops();
    private final Map<String, StableDiffusionModel> checkpoints = new HashMap<>();
    private final List<TensorIndex> open = new ArrayList<>();
    final List<String> loadedCheckpoints = new ArrayList<>();

    private static Path path(String name) {
        if (name.startsWith("lora-fixtures/")) {
            // the engine's own LoRA fixtures (an SDXL LoRA for the tiny SDXL model)
            return Golden.testdata().getParent().resolve("server/engine/src/test/resources").resolve(name);
        }
        return Golden.path(name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name);
    }

    private static TensorIndex open(String name) {
        try {
            return new SafetensorsFormat().open(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public Optional<String> checkFile(FileKind kind, String name) {
        return Files.isRegularFile(path(name)) ? Optional.empty() : Optional.of("'" + name + "': no such " + kind.name().toLowerCase() + " file");
    }

    @Override
    public StableDiffusionModel checkpoint(String name) {
        return checkpoints.computeIfAbsent(name, n -> {
            loadedCheckpoints.add(n);
            TensorIndex index = open(n);
            open.add(index);
            return ModelLoader.load(n, new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
        });
    }

    @Override
    public VaeValue vae(String name) {
        TensorIndex index = open(name);
        open.add(index);
        return new VaeValue(io.stipple.engine.model.vae.VaeFiles.load(new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32)), ops);
    }

    @Override
    public TensorIndex openLora(String name) {
        return open(name);
    }

    @Override
    public List<LoraAdapter> loraAdapters() {
        return List.of(new LowRankAdapter(), new LohaAdapter(), new LokrAdapter(), new GloraAdapter(), new BoftAdapter(),
                new OftAdapter(), new DiffAdapter());
    }

    @Override
    public byte[] readImage(String name) throws IOException {
        return Files.readAllBytes(path(name));
    }

    @Override
    public TensorIndex openLatent(String name) {
        return open(name);
    }

    @Override
    public List<String> samplerNames() {
        return TestPlugins.extensions(Sampler.class).stream().map(Sampler::name).toList();
    }

    @Override
    public List<String> schedulerNames() {
        return TestPlugins.extensions(Scheduler.class).stream().map(Scheduler::name).toList();
    }

    @Override
    public Sampler sampler(String name) {
        return TestPlugins.sampler(name);
    }

    @Override
    public Scheduler scheduler(String name) {
        return TestPlugins.scheduler(name);
    }

    @Override
    public void close() {
        open.forEach(TensorIndex::close);
    }
}
