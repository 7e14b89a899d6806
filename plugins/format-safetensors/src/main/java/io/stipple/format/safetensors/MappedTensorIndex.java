package io.stipple.format.safetensors;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An opened safetensors file: the checked header, and the data buffer mapped read-only into a
 * shared arena, so that {@link #bytes} is a slice of the mapping (no copy) usable from any thread
 * until {@link #close} unmaps it.
 */
final class MappedTensorIndex implements TensorIndex {
    private final Path file;
    private final Arena arena;
    private final MemorySegment data; // the bytes after the header
    private final List<TensorInfo> tensors;
    private final Map<String, HeaderEntry> byName;
    private final Map<String, String> metadata;
    private final AtomicBoolean closed = new AtomicBoolean();

    MappedTensorIndex(Path file, Arena arena, MemorySegment data, Header header) {
        this.file = file;
        this.arena = arena;
        this.data = data;
        this.tensors = header.entries().stream().map(HeaderEntry::info).toList();
        this.byName = HashMap.newHashMap(header.entries().size());
        for (HeaderEntry e : header.entries()) {
            byName.put(e.name(), e);
        }
        this.metadata = header.metadata();
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String format() {
        return SafetensorsFormat.NAME;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        HeaderEntry e = byName.get(name);
        return e == null ? Optional.empty() : Optional.of(e.info());
    }

    @Override
    public MemorySegment bytes(String name) {
        HeaderEntry e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor " + Names.quote(name) + " in " + file.getFileName()
                    + " (it has " + tensors.size() + " tensors)");
        }
        if (closed.get()) {
            throw new IllegalStateException(file.getFileName() + " is closed");
        }
        return data.asSlice(e.begin(), e.end() - e.begin());
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "safetensors " + file + " (" + tensors.size() + " tensors)";
    }
}
