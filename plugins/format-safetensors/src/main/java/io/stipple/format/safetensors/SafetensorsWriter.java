package io.stipple.format.safetensors;

import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorInfo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a safetensors file: the length prefix, the header ({@link HeaderWriter}), then each
 * tensor's bytes, asking each {@link TensorEntry} for them only when it is reached, so that at
 * most one tensor is held at a time. A failure deletes the partial file rather than leave one
 * that looks like a checkpoint.
 */
final class SafetensorsWriter {
    /** Bytes copied to the file per write: big enough for throughput, small enough to not matter. */
    private static final int CHUNK = 4 << 20;

    private SafetensorsWriter() {}

    static void write(Path file, List<TensorEntry> entries, Map<String, String> metadata) throws IOException {
        List<TensorInfo> infos = entries.stream().map(e -> Objects.requireNonNull(e, "tensor entry").info()).toList();
        check(infos, metadata);
        byte[] header = HeaderWriter.write(infos, metadata);
        if (header.length > Header.MAX_BYTES) {
            throw new IllegalArgumentException("header would be " + header.length + " bytes (expected: at most "
                    + Header.MAX_BYTES + ", the safetensors limit)");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try (channel) {
            writeFully(channel, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            writeFully(channel, ByteBuffer.wrap(header));
            ByteBuffer staging = ByteBuffer.allocateDirect(CHUNK);
            MemorySegment stagingSegment = MemorySegment.ofBuffer(staging);
            for (TensorEntry entry : entries) {
                writeTensor(channel, entry, staging, stagingSegment);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void check(List<TensorInfo> infos, Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        Set<String> names = new HashSet<>();
        for (TensorInfo t : infos) {
            if (t == null || t.name() == null || t.dtype() == null || t.shape() == null) {
                throw new IllegalArgumentException("tensor " + t + ": name, dtype and shape are required");
            }
            if (t.name().equals(Header.METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + Names.quote(t.name())
                        + " is reserved for the metadata");
            }
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("duplicate tensor name " + Names.quote(t.name()));
            }
        }
        metadata.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("metadata " + k + "=" + v + ": keys and values must not be null");
            }
        });
    }

    private static void writeTensor(FileChannel channel, TensorEntry entry, ByteBuffer staging,
            MemorySegment stagingSegment) throws IOException {
        TensorInfo info = entry.info();
        long expected = HeaderWriter.byteSize(info);
        MemorySegment bytes = entry.bytes().get();
        if (bytes == null || bytes.byteSize() != expected) {
            throw new IllegalArgumentException("tensor " + Names.quote(info.name()) + ": supplied "
                    + (bytes == null ? "no segment" : bytes.byteSize() + " bytes") + " (expected: " + expected
                    + " for " + info.dtype() + " " + info.shape() + ")");
        }
        for (long offset = 0; offset < expected; offset += CHUNK) {
            int n = (int) Math.min(CHUNK, expected - offset);
            // through a direct buffer: a segment over a float[] (or >2 GB) has no ByteBuffer view
            MemorySegment.copy(bytes, offset, stagingSegment, 0, n);
            writeFully(channel, staging.clear().limit(n));
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
