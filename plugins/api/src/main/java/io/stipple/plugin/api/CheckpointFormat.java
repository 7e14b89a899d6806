package io.stipple.plugin.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pf4j.ExtensionPoint;

/** A checkpoint file format: recognises, opens lazily, and (where it can) writes files. */
public interface CheckpointFormat extends ExtensionPoint {

    /** "safetensors", "ckpt". */
    String name();

    /** File name endings this format is usually found under, lower case, with the dot. */
    List<String> extensions();

    /**
     * Whether {@code file} looks like this format. {@code head} holds the file's first bytes (up
     * to 64, fewer for small files), positioned at 0.
     */
    boolean canRead(Path file, ByteBuffer head);

    /**
     * Opens the file, reading only its header and index.
     *
     * @throws CheckpointFormatException if the file is damaged or unsafe; the message says why
     * @throws IOException if the file cannot be read at all
     */
    TensorIndex open(Path file) throws IOException;

    default boolean canWrite() {
        return false;
    }

    /**
     * Writes {@code tensors} in order to {@code file} (created or truncated). Callers that need
     * atomicity write to a temporary name and rename.
     */
    default void write(Path file, List<TensorEntry> tensors, Map<String, String> metadata) throws IOException {
        throw new UnsupportedOperationException(name() + " files cannot be written");
    }
}
