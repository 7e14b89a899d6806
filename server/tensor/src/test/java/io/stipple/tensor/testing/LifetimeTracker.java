package io.stipple.tensor.testing;

import io.stipple.tensor.Storage;
import io.stipple.tensor.StorageEvents;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tracking allocator's ledger: every storage a backend allocates and frees, and at each scope's
 * close a check that what the scope's work allocated and is still live is exactly what it kept
 * (the escaped tensors' storages). Storages allocated in a detached scope or outside every scope
 * (weights, caches, sampler state) are counted but not checked. Give it to a backend
 * ({@code new CpuOps(tracker)}), run the work, then read {@link #violations()}.
 */
public final class LifetimeTracker implements StorageEvents {
    private final Set<Storage> live = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Per open scope, the storages allocated while it (or a scope inside it) was innermost. */
    private final Map<TensorScope, Set<Storage>> frames = new IdentityHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long allocated;
    private long freed;
    private int scopesClosed;

    @Override
    public synchronized void allocated(Storage storage) {
        live.add(storage);
        allocated++;
        Set<Storage> frame = frames.get(TensorScope.current());
        if (frame != null) {
            frame.add(storage);
        }
    }

    @Override
    public synchronized void freed(Storage storage) {
        if (!live.remove(storage)) {
            violations.add("freed a storage that was not live: " + storage.byteSize() + " bytes");
        }
        freed++;
    }

    @Override
    public synchronized void scopeOpened(TensorScope scope) {
        frames.put(scope, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    @Override
    public synchronized void scopeClosed(TensorScope scope, List<Tensor> escaped) {
        scopesClosed++;
        Set<Storage> frame = frames.remove(scope);
        if (frame == null) {
            violations.add("a scope closed that this tracker did not see open");
            return;
        }
        Set<Storage> stillLive = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Storage s : frame) {
            if (live.contains(s)) {
                stillLive.add(s);
            }
        }
        Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : escaped) {
            if (t.isClosed()) {
                violations.add("a scope kept " + t + ", which is closed");
            } else if (frame.contains(t.storage())) {
                kept.add(t.storage());
            }
        }
        if (!stillLive.equals(kept)) {
            long leaked = stillLive.stream().filter(s -> !kept.contains(s)).mapToLong(Storage::byteSize).sum();
            violations.add("scope #" + scopesClosed + ": " + stillLive.size() + " storages live after close, "
                    + kept.size() + " kept (" + leaked + " bytes leaked)");
        }
        // what it kept now belongs to the enclosing scope's work
        Set<Storage> parent = frames.get(TensorScope.current());
        if (parent != null) {
            parent.addAll(stillLive);
        }
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized int scopesClosed() {
        return scopesClosed;
    }

    public synchronized long allocated() {
        return allocated;
    }

    public synchronized long freed() {
        return freed;
    }

    public synchronized int live() {
        return live.size();
    }
}
