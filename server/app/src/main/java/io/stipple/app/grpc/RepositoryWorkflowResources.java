package io.stipple.app.grpc;

import io.stipple.app.models.ModelCache;
import io.stipple.app.models.ModelKind;
import io.stipple.app.models.ModelNotFoundException;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;
import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.model.vae.VaeFiles;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.engine.workflow.FileKind;
import io.stipple.engine.workflow.VaeValue;
import io.stipple.engine.workflow.WorkflowResources;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.Sampler;
import io.stipple.plugin.api.Scheduler;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A workflow's names on this server: checkpoints and LoRAs in the models folder by Generate's rules
 * (through the model cache), images and latents from the files sent with the request only.
 */
final class RepositoryWorkflowResources implements WorkflowResources {
    private final ModelRepository models;
    private final ModelCache cache;
    private final PluginRegistry plugins;
    private final Map<String, byte[]> files;
    private final List<String> warnings = new ArrayList<>();
    private final java.util.Map<ModelCache.Key, String> acquired = new java.util.LinkedHashMap<>();

    RepositoryWorkflowResources(ModelRepository models, ModelCache cache, PluginRegistry plugins, Map<String, byte[]> files) {
        this.models = models;
        this.cache = cache;
        this.plugins = plugins;
        this.files = Map.copyOf(files);
    }

    /** What loading the checkpoints said (a merge's notes, a VAE's), for the result. */
    List<String> warnings() {
        return warnings;
    }

    @Override
    public Ops ops() {
        return cache.ops();
    }

    @Override
    public Optional<String> checkFile(FileKind kind, String name) {
        return switch (kind) {
            case CHECKPOINT -> modelProblem(ModelKind.CHECKPOINT, name);
            case LORA -> modelProblem(ModelKind.LORA, name);
            case VAE -> modelProblem(ModelKind.VAE, name);
            case IMAGE, LATENT -> files.containsKey(name) ? Optional.empty()
                    : Optional.of("not sent with the request (expected: one of the request's files " + files.keySet().stream().sorted().toList()
                            + ")");
        };
    }

    private Optional<String> modelProblem(ModelKind kind, String name) {
        try {
            models.resolve(kind, name, "name");
            return Optional.empty();
        } catch (ModelNotFoundException | InvalidRequestException e) {
            String message = e.getMessage();
            return Optional.of(message.startsWith("name: ") ? message.substring("name: ".length()) : message);
        }
    }

    @Override
    public StableDiffusionModel checkpoint(String name) throws IOException {
        Path file = models.resolve(ModelKind.CHECKPOINT, name, "ckpt_name");
        ModelCache.Key key = new ModelCache.Key(file, null, null);
        ModelCache.Entry entry = cache.acquire(key, (weights, open, notes) -> weights);
        acquired.putIfAbsent(key, name);
        // the cache makes room by unloading (closing) older models: one this run still uses must not go under it
        var resident = cache.residents().stream().map(ModelCache.Resident::key).toList();
        for (var e : acquired.entrySet()) {
            if (!resident.contains(e.getKey())) {
                throw new InvalidRequestException("ckpt_name", QuotedValue.of(name) + " and " + QuotedValue.of(e.getValue())
                        + " do not fit in the model cache together (expected: the workflow's checkpoints within the server's"
                        + " cached_models and memory budget)");
            }
        }
        entry.warnings().forEach(w -> warnings.add(name + ": " + w));
        return entry.model();
    }

    /** The VAE files this run opened, by name; closed when the run ends ({@link #close}). */
    private final Map<String, VaeValue> vaes = new java.util.HashMap<>();
    private final List<TensorIndex> opened = new ArrayList<>();

    @Override
    public VaeValue vae(String name) throws IOException {
        VaeValue known = vaes.get(name);
        if (known != null) {
            return known;
        }
        TensorIndex file = cache.opener().open(models.resolve(ModelKind.VAE, name, "vae_name"));
        opened.add(file);
        try {
            VaeValue vae = new VaeValue(VaeFiles.load(new CheckpointParameters(file, cache.ops(), WeightPolicy.RESIDENT_F32)), cache.ops());
            vaes.put(name, vae);
            return vae;
        } catch (UnsupportedModelException e) {
            throw new InvalidRequestException("vae_name", QuotedValue.of(name) + ": " + e.getMessage());
        }
    }

    /** Closes the files this run opened itself (VAEs); the cached checkpoints stay with the cache. */
    void close() {
        opened.forEach(TensorIndex::close);
        opened.clear();
        vaes.clear();
    }

    @Override
    public TensorIndex openLora(String name) throws IOException {
        return cache.opener().open(models.resolve(ModelKind.LORA, name, "lora_name"));
    }

    @Override
    public List<LoraAdapter> loraAdapters() {
        return plugins.loraAdapters();
    }

    @Override
    public byte[] readImage(String name) {
        return file(name, "image");
    }

    @Override
    public TensorIndex openLatent(String name) throws IOException {
        // the format plugins read files (mapped): the bytes go through a private temporary file, gone once opened
        Path tmp = Files.createTempFile("stipple-workflow-", ".latent");
        try {
            Files.write(tmp, file(name, "latent"));
            return cache.opener().open(tmp);
        } catch (CheckpointFormatException e) {
            String reason = e.getMessage().startsWith(e.file().getFileName() + ": ")
                    ? e.getMessage().substring(e.file().getFileName().toString().length() + 2) : e.getMessage();
            throw new InvalidRequestException("latent", QuotedValue.of(name) + " is not a readable .latent file: " + reason);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private byte[] file(String name, String input) {
        byte[] bytes = files.get(name);
        if (bytes == null) {
            throw new InvalidRequestException(input, QuotedValue.of(name) + " was not sent with the request");
        }
        return bytes;
    }

    @Override
    public List<String> samplerNames() {
        return plugins.samplerNames();
    }

    @Override
    public List<String> schedulerNames() {
        return plugins.schedulerNames();
    }

    @Override
    public Sampler sampler(String name) {
        return plugins.sampler(name).orElseThrow(() -> new InvalidRequestException("sampler_name", QuotedValue.of(name)
                + " (expected: one of " + plugins.samplerNames() + ")"));
    }

    @Override
    public Scheduler scheduler(String name) {
        return plugins.scheduler(name).orElseThrow(() -> new InvalidRequestException("scheduler", QuotedValue.of(name)
                + " (expected: one of " + plugins.schedulerNames() + ")"));
    }
}
