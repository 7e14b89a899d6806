package io.stipple.app.models;

import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.ComposedParameters;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Ops;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loaded models, least recently used evicted first. An entry is a checkpoint opened (memory-mapped)
 * with its weight policy, optionally merged with others or given another VAE; LoRAs are overlays
 * applied per request on top of an entry, so changing LoRAs never reloads the checkpoint.
 */
public final class ModelCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());
    /** Weights are kept as float32 while they take less than this share of the heap. */
    private static final double RESIDENT_SHARE = 0.45;

    /** What identifies a base model: the files and how they are combined. */
    public record Key(Path checkpoint, Object mergeRecipe, Path vae) {}

    /**
     * A base model: its open files as they were when opened, the weights they give, and what its
     * making warned about.
     */
    public record Entry(Key key, List<TensorIndex> files, List<FileStamp> stamps, ParameterSource weights, StableDiffusionModel model,
            List<String> warnings) {
        /** Whether every file is still the version that was loaded. */
        boolean isCurrent() {
            return stamps.stream().allMatch(FileStamp::isCurrent);
        }

        boolean uses(Path file) {
            Path f = file.toAbsolutePath().normalize();
            return stamps.stream().anyMatch(s -> s.file().equals(f));
        }
    }

    /** Builds a combined model's weights from the checkpoint's; files it opens join {@code files}. */
    @FunctionalInterface
    public interface Combiner {
        ParameterSource combine(ParameterSource checkpoint, List<TensorIndex> files, List<String> warnings) throws IOException;
    }

    private final CheckpointOpener opener;
    private final Ops ops;
    private final int capacity;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    public ModelCache(CheckpointOpener opener, Ops ops, int capacity) {
        this.opener = opener;
        this.ops = ops;
        this.capacity = capacity;
    }

    public CheckpointOpener opener() {
        return opener;
    }

    public Ops ops() {
        return ops;
    }

    /**
     * The base model for a key, loading it if needed, or again when one of its files changed on disk
     * since (a Merge overwrote it, the operator replaced it). {@code combine} builds the weights of a
     * merged model from the checkpoint's (it opens what else it needs with {@link #openWeights}).
     */
    public synchronized Entry acquire(Key key, Combiner combine) throws IOException {
        Entry e = entries.get(key);
        if (e != null && e.isCurrent()) {
            return e;
        }
        if (e != null) {
            unload(key, "a file changed on disk");
        }
        List<TensorIndex> files = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try {
            ParameterSource weights = openWeights(key.checkpoint(), files);
            weights = combine.combine(weights, files, warnings);
            if (key.vae() != null) {
                ParameterSource vae = openWeights(key.vae(), files);
                String prefix = vae.has("first_stage_model.decoder.conv_in.weight") ? "first_stage_model." : "";
                weights = new ComposedParameters(weights, "first_stage_model.", vae, prefix);
            }
            StableDiffusionModel model = ModelLoader.load(key.checkpoint().getFileName().toString(), weights, ops);
            List<FileStamp> stamps = new ArrayList<>();
            for (TensorIndex f : files) {
                stamps.add(FileStamp.of(f.file()));
            }
            evictFor(1);
            e = new Entry(key, files, List.copyOf(stamps), weights, model, List.copyOf(warnings));
            entries.put(key, e);
            LOG.log(Level.INFO, "loaded " + model.family().id() + " model " + key.checkpoint().getFileName());
            return e;
        } catch (IOException | RuntimeException | Error ex) {
            files.forEach(TensorIndex::close);
            throw ex;
        }
    }

    /** Opens a model file with a weight policy that fits the heap; the index joins {@code files}. */
    public CheckpointParameters openWeights(Path file, List<TensorIndex> files) throws IOException {
        TensorIndex index = opener.open(file);
        files.add(index);
        long f32Bytes = f32Bytes(index.tensors());
        long budget = (long) (Runtime.getRuntime().maxMemory() * RESIDENT_SHARE);
        WeightPolicy policy = f32Bytes < budget ? WeightPolicy.RESIDENT_F32 : WeightPolicy.AS_STORED;
        if (policy == WeightPolicy.AS_STORED) {
            LOG.log(Level.INFO, file.getFileName() + ": " + (f32Bytes >> 20) + " MiB as float32 exceeds "
                    + (budget >> 20) + " MiB: weights stay in the file's mapping and are converted as they are used");
        }
        return new CheckpointParameters(index, ops, policy);
    }

    /** Unloads every model made from {@code file}: it is about to change, or just did. */
    public synchronized void evict(Path file) {
        for (Key key : List.copyOf(entries.keySet())) {
            if (entries.get(key).uses(file)) {
                unload(key, file.getFileName() + " was replaced");
            }
        }
    }

    private void unload(Key key, String why) {
        Entry old = entries.remove(key);
        old.files().forEach(TensorIndex::close);
        LOG.log(Level.INFO, "unloaded " + key.checkpoint().getFileName() + ": " + why);
    }

    private void evictFor(int incoming) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (entries.size() + incoming > capacity && it.hasNext()) {
            Entry old = it.next().getValue();
            it.remove();
            old.files().forEach(TensorIndex::close);
            LOG.log(Level.INFO, "unloaded " + old.key().checkpoint().getFileName());
        }
    }

    /** The float32 size of a file's tensors, for logs and budgets. */
    private static long f32Bytes(List<TensorInfo> tensors) {
        return tensors.stream().mapToLong(t -> t.shape().numel() * 4).sum();
    }

    @Override
    public synchronized void close() {
        entries.values().forEach(e -> e.files().forEach(TensorIndex::close));
        entries.clear();
    }
}
