package io.stipple.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The tensors made while it is open, freed when it closes, except those it {@link #keep}s: these
 * move to the enclosing scope (or, outside every scope, to nobody: the garbage collector or the
 * holder's own {@code close()}). Scopes nest and belong to the thread that opened them; a tensor is
 * owned by the innermost scope open on the thread that made it.
 *
 * <pre>{@code
 * try (TensorScope s = ops.scope()) {
 *     Tensor h = ...;              // intermediates
 *     return s.keep(result);       // survives the scope
 * }
 * }</pre>
 *
 * A {@link #detached} scope owns nothing: what is made inside lives as long as its holder wants
 * (model weights converted on first use inside a denoising step, caches).
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final boolean owning;
    private final StorageEvents events;
    private final Thread thread = Thread.currentThread();
    private final List<Tensor> owned = new ArrayList<>();
    private final List<Tensor> kept = new ArrayList<>();
    private boolean closed;

    private TensorScope(TensorScope parent, boolean owning, StorageEvents events) {
        this.parent = parent;
        this.owning = owning;
        this.events = events;
    }

    /** A scope inside the current one (Ops implementations call this from {@link Ops#scope()}). */
    public static TensorScope open(StorageEvents events) {
        TensorScope s = new TensorScope(CURRENT.get(), true, events);
        CURRENT.set(s);
        events.scopeOpened(s);
        return s;
    }

    /** The result of {@code work}, which makes tensors that no scope owns (weights, caches). */
    public static <T> T detached(Supplier<T> work) {
        TensorScope s = new TensorScope(CURRENT.get(), false, StorageEvents.NONE);
        CURRENT.set(s);
        try {
            return work.get();
        } finally {
            s.close();
        }
    }

    /** The innermost scope open on this thread, detached ones included; null outside every scope. */
    public static TensorScope current() {
        return CURRENT.get();
    }

    /** Whether tensors made in this scope are owned by nobody. */
    public boolean isDetached() {
        return !owning;
    }

    /** Called by every new tensor: the innermost scope of this thread takes it. */
    static void adopt(Tensor t) {
        TensorScope s = CURRENT.get();
        if (s != null && s.owning) {
            s.owned.add(t);
            t.owner = s;
        }
    }

    /**
     * Hands {@code t} to the enclosing scope so that it outlives this one; a tensor this scope does
     * not own (an input, a weight) is left as it is. Returns {@code t}; null stays null.
     */
    public <T extends Tensor> T keep(T t) {
        checkOpen();
        if (t != null && t.owner == this) {
            TensorScope heir = parent != null && parent.owning ? parent : null;
            t.owner = heir;
            if (heir != null) {
                heir.owned.add(t);
            }
            kept.add(t);
        }
        return t;
    }

    /**
     * Closes {@code t} now if this scope owns it (an intermediate that nothing will read again), so
     * that its memory is reused before the scope ends; a tensor it does not own is left alone.
     */
    public void free(Tensor t) {
        checkOpen();
        if (t != null && t.owner == this && !t.isClosed()) {
            t.close();
        }
    }

    /** Closes every tensor made here and not kept; scopes close innermost first, on their own thread. */
    @Override
    public void close() {
        checkOpen();
        if (CURRENT.get() != this) {
            throw new IllegalStateException("a scope closes after the scopes opened inside it");
        }
        closed = true;
        CURRENT.set(parent);
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            Tensor t = owned.get(i);
            if (t.owner == this && !t.isClosed()) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
        owned.clear();
        if (owning) {
            events.scopeClosed(this, List.copyOf(kept));
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void checkOpen() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a scope is used by the thread that opened it, not " + Thread.currentThread().getName());
        }
        if (closed) {
            throw new IllegalStateException("scope already closed");
        }
    }
}
