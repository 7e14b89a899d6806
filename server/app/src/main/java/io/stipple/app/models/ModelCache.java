package io.stipple.app.models;

import io.stipple.app.metrics.ServerMetrics;
import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.embeddings.EmbeddingLibrary;
import io.stipple.engine.model.vae.VaeFiles;
import io.stipple.engine.weights.RenamedParameters;
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
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Loaded models, bounded by the bytes their weights take in memory (least recently used unloaded
 * first), and optionally by a count. An entry is a checkpoint opened (memory-mapped) with its weight
 * policy, optionally merged with others or given another VAE; LoRAs are overlays applied per request
 * on top of an entry, so changing LoRAs never reloads the checkpoint.
 *
 * <p>Weights are held as float32 (fast) when they fit in what the budget leaves, after unloading
 * what must go; a model too large for the whole budget keeps its weights in the file's mapping and
 * converts them as they are used (the page cache holds them, not the heap).
 *
 * <p>Only the job worker loads and unloads (a model in use is never closed under a running job);
 * listing may come from any thread.
 */
public final class ModelCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ModelCache.class.getName());
    /** The default budget: weights as float32 may take this share of the heap; activations need the rest. */
    static final double DEFAULT_HEAP_SHARE = 0.45;

    /** What identifies a base model: the files and how they are combined. */
    public record Key(Path checkpoint, Object mergeRecipe, Path vae) {}

    /**
     * A base model: its open files as they were when opened, the weights they give, what its making
     * warned about, and what it holds: {@code heapBytes} of weights converted into memory and
     * {@code mappedBytes} of files mapped.
     */
    public record Entry(Key key, List<TensorIndex> files, List<FileStamp> stamps, ParameterSource weights, StableDiffusionModel model,
            List<String> warnings, long heapBytes, long mappedBytes) {
        /** Whether every file is still the version that was loaded. */
        boolean isCurrent() {
            return stamps.stream().allMatch(FileStamp::isCurrent);
        }

        boolean uses(Path file) {
            Path f = file.toAbsolutePath().normalize();
            return stamps.stream().anyMatch(s -> s.file().equals(f));
        }
    }

    /** A loaded model as ListModels shows it. */
    public record Resident(Key key, String family, long heapBytes, long mappedBytes, String device) {}

    /** Builds a combined model's weights from the checkpoint's; files it opens join {@code files}. */
    @FunctionalInterface
    public interface Combiner {
        ParameterSource combine(ParameterSource checkpoint, List<TensorIndex> files, List<String> warnings) throws IOException;
    }

    private final CheckpointOpener opener;
    private final EmbeddingLibrary embeddings;
    private final Ops ops;
    private final int maxModels;
    private final long budgetBytes;
    private final ServerMetrics metrics;
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    /** Heap bytes of the model being loaded, decided file by file before it joins {@link #entries}. */
    private long pendingBytes;

    /**
     * @param maxModels at most this many models loaded (0: no limit but the bytes)
     * @param budgetBytes what the loaded models' weights may take in memory (0: a share of the heap)
     */
    public ModelCache(CheckpointOpener opener, Ops ops, int maxModels, long budgetBytes, ServerMetrics metrics) {
        this(opener, ops, maxModels, budgetBytes, metrics, EmbeddingLibrary.NONE);
    }

    /** @param embeddings where the loaded models' prompts find "embedding:NAME" */
    public ModelCache(CheckpointOpener opener, Ops ops, int maxModels, long budgetBytes, ServerMetrics metrics, EmbeddingLibrary embeddings) {
        this.embeddings = embeddings;
        this.opener = opener;
        this.ops = ops;
        this.maxModels = maxModels;
        this.budgetBytes = budgetBytes > 0 ? budgetBytes : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_SHARE);
        this.metrics = metrics;
        metrics.gauge("stipple_resident_bytes", "Bytes of model weights held in memory", this::heapBytes);
        metrics.gauge("stipple_mapped_bytes", "Bytes of model files mapped by loaded models", this::mappedBytes);
        metrics.gauge("stipple_models_loaded", "Models loaded", this::size);
    }

    public EmbeddingLibrary embeddings() {
        return embeddings;
    }

    public CheckpointOpener opener() {
        return opener;
    }

    public Ops ops() {
        return ops;
    }

    public long budgetBytes() {
        return budgetBytes;
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
            unload(key, "changed");
        }
        if (maxModels > 0) {
            while (entries.size() >= maxModels) {
                unload(entries.keySet().iterator().next(), "evicted");
            }
        }
        List<TensorIndex> files = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        pendingBytes = 0;
        try {
            // older key layouts under today's names first, so that merges, VAEs and LoRAs all meet the same names
            ParameterSource weights = RenamedParameters.comfyNames(openWeights(key.checkpoint(), files));
            weights = combine.combine(weights, files, warnings);
            if (key.vae() != null) {
                ParameterSource vae = VaeFiles.ldmNames(openWeights(key.vae(), files));
                String prefix = VaeFiles.prefix(vae);
                weights = new ComposedParameters(weights, "first_stage_model.", vae, prefix);
            }
            StableDiffusionModel model = ModelLoader.load(key.checkpoint().getFileName().toString(), weights, ops).withEmbeddings(embeddings);
            List<FileStamp> stamps = new ArrayList<>();
            long mapped = 0;
            for (TensorIndex f : files) {
                FileStamp stamp = FileStamp.of(f.file());
                stamps.add(stamp);
                mapped += stamp.size();
            }
            e = new Entry(key, files, List.copyOf(stamps), weights, model, List.copyOf(warnings), pendingBytes, mapped);
            entries.put(key, e);
            metrics.modelLoaded(model.family().id());
            LOG.log(Level.INFO, "loaded " + model.family().id() + " model " + key.checkpoint().getFileName() + " ("
                    + (pendingBytes >> 20) + " MiB in memory, " + (mapped >> 20) + " MiB mapped)");
            return e;
        } catch (IOException | RuntimeException | Error ex) {
            files.forEach(TensorIndex::close);
            throw ex;
        } finally {
            pendingBytes = 0;
        }
    }

    /**
     * Opens a model file for the model being loaded; the index joins {@code files}. Its weights are
     * held as float32 if they fit in the budget once least recently used models are unloaded to make
     * room; otherwise they stay in the file's mapping.
     */
    public synchronized CheckpointParameters openWeights(Path file, List<TensorIndex> files) throws IOException {
        TensorIndex index = opener.open(file);
        files.add(index);
        long f32Bytes = f32Bytes(index.tensors());
        boolean fits = pendingBytes + f32Bytes <= budgetBytes;
        while (fits && heapBytes() + pendingBytes + f32Bytes > budgetBytes && !entries.isEmpty()) {
            unload(entries.keySet().iterator().next(), "evicted");
        }
        WeightPolicy policy = fits ? WeightPolicy.RESIDENT_F32 : WeightPolicy.AS_STORED;
        if (fits) {
            pendingBytes += f32Bytes;
        } else {
            LOG.log(Level.INFO, file.getFileName() + ": " + (f32Bytes >> 20) + " MiB as float32 exceeds the cache's "
                    + (budgetBytes >> 20) + " MiB: weights stay in the file's mapping and are converted as they are used");
        }
        return new CheckpointParameters(index, ops, policy);
    }

    /** Unloads every model made from {@code file}: it is about to change, or just did. */
    public synchronized void evict(Path file) {
        for (Key key : List.copyOf(entries.keySet())) {
            if (entries.get(key).uses(file)) {
                unload(key, "replaced");
            }
        }
    }

    /**
     * Unloads the models whose checkpoint is one of {@code checkpoints} (all models when null).
     *
     * @return what was unloaded
     */
    public synchronized List<Resident> unload(java.util.Collection<Path> checkpoints) {
        List<Resident> out = new ArrayList<>();
        for (Key key : List.copyOf(entries.keySet())) {
            if (checkpoints == null || checkpoints.contains(key.checkpoint())) {
                out.add(resident(entries.get(key)));
                unload(key, "unloaded");
            }
        }
        return out;
    }

    /** The loaded models, most recently used last. */
    public synchronized List<Resident> residents() {
        return entries.values().stream().map(this::resident).toList();
    }

    private Resident resident(Entry e) {
        return new Resident(e.key(), e.model().family().id(), e.heapBytes(), e.mappedBytes(), ops.name());
    }

    private void unload(Key key, String reason) {
        Entry old = entries.remove(key);
        old.files().forEach(TensorIndex::close);
        metrics.modelUnloaded(reason);
        LOG.log(Level.INFO, "unloaded " + key.checkpoint().getFileName() + " (" + reason + ")");
    }

    private synchronized long heapBytes() {
        return entries.values().stream().mapToLong(Entry::heapBytes).sum();
    }

    private synchronized long mappedBytes() {
        return entries.values().stream().mapToLong(Entry::mappedBytes).sum();
    }

    private synchronized int size() {
        return entries.size();
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
