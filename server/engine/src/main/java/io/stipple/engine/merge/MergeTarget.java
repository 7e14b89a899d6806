package io.stipple.engine.merge;

import io.stipple.plugin.api.CheckpointFormat;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how a merge is saved.
 *
 * @param overwrite whether an existing {@code file} may be replaced (otherwise the merge is refused before it starts)
 */
public record MergeTarget(Path file, CheckpointFormat format, boolean overwrite, OutputPrecision precision) {

    public MergeTarget {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(precision, "precision");
    }

    /** A new file, each tensor in its source's type. */
    public static MergeTarget of(Path file, CheckpointFormat format) {
        return new MergeTarget(file, format, false, OutputPrecision.KEEP);
    }

    public MergeTarget overwriting() {
        return new MergeTarget(file, format, true, precision);
    }

    public MergeTarget withPrecision(OutputPrecision p) {
        return new MergeTarget(file, format, overwrite, p);
    }
}
