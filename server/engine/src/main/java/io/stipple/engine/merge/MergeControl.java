package io.stipple.engine.merge;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The caller's side of a running merge: where progress goes, and whether to stop. Both are
 * consulted once per tensor, on the merging thread.
 */
public record MergeControl(Progress progress, BooleanSupplier cancelled) {

    /** Tensors written so far out of the total; called before each tensor and once at the end ({@code done == total}). */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    public static final MergeControl NONE = new MergeControl((done, total) -> {}, () -> false);

    public MergeControl {
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(cancelled, "cancelled");
    }
}
