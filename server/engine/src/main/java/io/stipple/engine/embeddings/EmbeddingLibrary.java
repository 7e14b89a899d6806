package io.stipple.engine.embeddings;

import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.text.EmbeddingLookup;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The textual-inversion embeddings of a folder ({@code models/embeddings}), found and read as
 * ComfyUI's {@code load_embed} does: "NAME" is the file NAME, or NAME.safetensors, NAME.pt or
 * NAME.bin, inside the folder only; of its tensors the embedding is the first under
 * {@code string_to_param} (the original textual_inversion .pt), else the one named for the encoder
 * ({@code clip_l}, {@code clip_g}: SDXL files), else the file's first (AUTOMATIC1111's
 * {@code emb_params}). Files are read through the installed checkpoint formats, so a .pt is read
 * without running pickle code. Each file is read once and kept while its size and time stay the same.
 */
public final class EmbeddingLibrary {
    /** No embeddings folder: every reference is missing. */
    public static final EmbeddingLibrary NONE = new EmbeddingLibrary(null, null);

    private static final List<String> EXTENSIONS = List.of(".safetensors", ".pt", ".bin");
    private static final System.Logger LOG = System.getLogger(EmbeddingLibrary.class.getName());

    private final Path folder;
    private final CheckpointOpener opener;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    /** One file as read: its tensors as float32 (count, width) by name, in the order the embedding is chosen from. */
    private record Loaded(long size, long modified, List<String> names, Map<String, float[][]> vectors) {}

    public EmbeddingLibrary(Path folder, CheckpointOpener opener) {
        this.folder = folder == null ? null : folder.toAbsolutePath().normalize();
        this.opener = opener;
    }

    /** The embeddings for one text encoder, by its key in SDXL files: "clip_l" or "clip_g". */
    public EmbeddingLookup forEncoder(String key) {
        return name -> vectors(name, key);
    }

    /** The embedding files in the folder, by name with their ending, sorted (for listing). */
    public List<String> names() {
        if (folder == null || !Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> EXTENSIONS.stream().anyMatch(e -> n.toLowerCase(Locale.ROOT).endsWith(e))).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Optional<float[][]> vectors(String name, String key) {
        Optional<Path> file = find(name);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Loaded loaded;
        try {
            loaded = load(file.get());
        } catch (IOException | RuntimeException e) {
            // ComfyUI logs the error and goes on as if the embedding were missing; say which file and why
            LOG.log(System.Logger.Level.WARNING, "embedding {0}: cannot read {1}: {2}", name, file.get().getFileName(), e.getMessage());
            return Optional.empty();
        }
        return Optional.ofNullable(choose(loaded, key));
    }

    /** load_embed's search: the name as a file, else with each ending, never outside the folder. */
    private Optional<Path> find(String name) {
        if (folder == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Path exact;
        try {
            exact = folder.resolve(name).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
        if (!exact.startsWith(folder) || exact.equals(folder)) {
            return Optional.empty();
        }
        if (Files.isRegularFile(exact)) {
            return Optional.of(exact);
        }
        for (String ending : EXTENSIONS) {
            Path p = exact.resolveSibling(exact.getFileName() + ending);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private Loaded load(Path file) throws IOException {
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        Loaded cached = cache.get(file);
        if (cached != null && cached.size() == size && cached.modified() == modified) {
            return cached;
        }
        CpuOps cpu = new CpuOps();
        try (TensorIndex index = opener.open(file)) {
            // by name: safetensors' load_file gives its keys sorted, so "the first" is the first by name; a .pt
            // of several tensors not under string_to_param (rare) is taken in that order too, not its pickle's
            List<TensorInfo> infos = new ArrayList<>(index.tensors());
            infos.sort(Comparator.comparing(TensorInfo::name));
            List<String> names = new ArrayList<>();
            Map<String, float[][]> vectors = new java.util.HashMap<>();
            for (TensorInfo info : infos) {
                if (!info.dtype().isFloatingPoint() || info.shape().rank() == 0 || info.shape().numel() == 0) {
                    continue;
                }
                float[] values;
                try (Tensor t = cpu.fromBytes(index.bytes(info.name()), info.dtype(), info.shape())) {
                    values = cpu.toArray(t);
                }
                int width = info.shape().dim(-1); // emb.view(1, -1, emb.shape[-1])
                float[][] rows = new float[values.length / width][];
                for (int r = 0; r < rows.length; r++) {
                    rows[r] = java.util.Arrays.copyOfRange(values, r * width, (r + 1) * width);
                }
                names.add(info.name());
                vectors.put(info.name(), rows);
            }
            Loaded loaded = new Loaded(size, modified, List.copyOf(names), Map.copyOf(vectors));
            cache.put(file, loaded);
            return loaded;
        }
    }

    private static float[][] choose(Loaded loaded, String key) {
        for (String n : loaded.names()) {
            if (n.startsWith("string_to_param.")) {
                return loaded.vectors().get(n);
            }
        }
        if (loaded.vectors().containsKey(key)) {
            return loaded.vectors().get(key);
        }
        return loaded.names().isEmpty() ? null : loaded.vectors().get(loaded.names().getFirst());
    }
}
