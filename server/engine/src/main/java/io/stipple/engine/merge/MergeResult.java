package io.stipple.engine.merge;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A saved merge.
 *
 * @param sha256 the written file's SHA-256, lower-case hex
 * @param warnings what the merge could not do as asked (keys kept from model A, keys left out), for the user
 * @param metadata the string metadata written into the file
 */
public record MergeResult(Path file, long sizeBytes, String sha256, int tensors, List<String> warnings,
        Map<String, String> metadata) {

    public MergeResult {
        warnings = List.copyOf(warnings);
        metadata = Map.copyOf(metadata);
    }
}
