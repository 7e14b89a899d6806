package io.stipple.plugin.api;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An opened checkpoint: tensor names, dtypes and shapes, read lazily. Opening reads only the
 * header; {@link #bytes} reaches the data (memory-mapped where the format allows), so a 7 GB file
 * opens in milliseconds and costs no heap.
 */
public interface TensorIndex extends AutoCloseable {

    Path file();

    /** The format's name ("safetensors", "ckpt"). */
    String format();

    /** Every tensor, in the file's order. */
    List<TensorInfo> tensors();

    Optional<TensorInfo> info(String name);

    default boolean contains(String name) {
        return info(name).isPresent();
    }

    /**
     * The tensor's elements, contiguous, row-major, little-endian, exactly
     * {@code info(name).byteSize()} bytes. Valid until the index is closed.
     *
     * @throws IllegalArgumentException if there is no such tensor
     * @throws CheckpointFormatException if the file turns out to be damaged
     */
    MemorySegment bytes(String name);

    /** Free-form string metadata ({@code __metadata__} in safetensors); empty if none. */
    Map<String, String> metadata();

    /** Unmaps the file. */
    @Override
    void close();
}
