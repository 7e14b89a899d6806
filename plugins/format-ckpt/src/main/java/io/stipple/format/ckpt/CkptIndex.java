package io.stipple.format.ckpt;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An opened checkpoint. The file is mapped once; a contiguous little-endian tensor's bytes are a
 * slice of that mapping, and the others (views, transposes, big-endian files) are copied once,
 * on first use, into memory the index owns. Closing unmaps the file and frees the copies.
 */
final class CkptIndex implements TensorIndex {
    private final Path file;
    private final Arena arena;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorPlan> plans;
    private final Map<String, String> metadata;
    private final Map<String, MemorySegment> copies = new ConcurrentHashMap<>();
    private volatile boolean closed;

    CkptIndex(Path file, Arena arena, ParsedCheckpoint parsed) {
        this.file = file;
        this.arena = arena;
        this.plans = parsed.plans();
        this.tensors = plans.values().stream().map(TensorPlan::info).toList();
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(parsed.metadata()));
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String format() {
        return "ckpt";
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        TensorPlan p = plans.get(name);
        return p == null ? Optional.empty() : Optional.of(p.info());
    }

    @Override
    public MemorySegment bytes(String name) {
        TensorPlan p = plans.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no tensor " + name + " in " + file.getFileName() + " (" + plans.size()
                    + " tensors)");
        }
        if (closed) {
            throw new IllegalStateException(file.getFileName() + " is closed");
        }
        return p.mapsInPlace() ? p.bytes(arena) : copies.computeIfAbsent(name, n -> p.bytes(arena));
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            copies.clear();
            arena.close();
        }
    }
}
