package io.stipple.format.safetensors;

import io.stipple.plugin.api.CheckpointFormatException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks where the tensors lie in the data buffer. The rule is the reference implementation's:
 * taken in offset order, the tensors tile the buffer exactly, from byte 0 to its end, with no
 * overlap, no gap and nothing after the last one. A file that breaks it is refused by the Python
 * {@code safetensors} library too, so Stipple accepts exactly the files the rest of the ecosystem
 * accepts (and a gap or trailing bytes would be a place to hide data no tensor accounts for).
 */
final class DataLayout {
    private DataLayout() {}

    /**
     * @param dataLength bytes in the file after the header
     * @throws CheckpointFormatException naming the tensor and offsets that break the rule
     */
    static void check(Path file, List<HeaderEntry> entries, long dataLength) {
        for (HeaderEntry e : entries) {
            if (e.end() > dataLength) {
                throw new CheckpointFormatException(file, "tensor " + e + " lies outside the data buffer, which holds "
                        + dataLength + " bytes (the file is truncated or the offsets are wrong)");
            }
        }
        HeaderEntry[] sorted = entries.toArray(HeaderEntry[]::new);
        Arrays.sort(sorted, Comparator.comparingLong(HeaderEntry::begin).thenComparingLong(HeaderEntry::end));
        long next = 0; // where the next tensor must begin
        HeaderEntry previous = null;
        for (HeaderEntry e : sorted) {
            if (e.begin() < next) {
                throw new CheckpointFormatException(file, "tensors " + previous + " and " + e + " overlap");
            }
            if (e.begin() > next) {
                String after = previous == null ? "the start of the data buffer" : "tensor " + previous;
                throw new CheckpointFormatException(file, "gap of " + (e.begin() - next) + " bytes between " + after
                        + " and tensor " + e + " (expected: tensors to cover the data buffer contiguously)");
            }
            next = e.end();
            previous = e;
        }
        if (next != dataLength) {
            throw new CheckpointFormatException(file, (dataLength - next) + " bytes after the end of the last tensor's"
                    + " data at " + next + " (expected: the tensors to end the file)");
        }
    }
}
