package io.stipple.format.safetensors;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON
 * header, then the tensors' bytes. Files are opened lazily and memory-mapped, and checked as the
 * reference implementation checks them (see {@link HeaderParser} and {@link DataLayout}); every
 * damaged or hostile file is a {@link io.stipple.plugin.api.CheckpointFormatException} that says
 * what is wrong.
 */
@Extension
public final class SafetensorsFormat implements CheckpointFormat {
    static final String NAME = "safetensors";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> extensions() {
        return List.of(".safetensors", ".sft");
    }

    /**
     * A plausible header length then '{' at byte 8. When {@code head} holds fewer than 64 bytes it is
     * the whole file, and the header must fit in it.
     */
    @Override
    public boolean canRead(Path file, ByteBuffer head) {
        int base = head.position();
        int available = head.remaining();
        if (available < 10) { // the length and at least "{}"
            return false;
        }
        long length = 0;
        for (int i = 7; i >= 0; i--) {
            length = (length << 8) | (head.get(base + i) & 0xff);
        }
        if (length < 2 || length > Header.MAX_BYTES) {
            return false;
        }
        if (available < 64 && length > available - 8) {
            return false;
        }
        return head.get(base + 8) == '{';
    }

    @Override
    public TensorIndex open(Path file) throws IOException {
        return SafetensorsReader.open(file);
    }

    @Override
    public boolean canWrite() {
        return true;
    }

    /**
     * Writes the tensors in the given order with contiguous offsets, the header padded to 8 bytes as
     * the reference does. A supplied segment whose size is not the declared dtype × shape, a
     * duplicate name, or a failed write leaves no file behind.
     *
     * @throws IllegalArgumentException for a duplicate or reserved name, or a segment of the wrong size
     */
    @Override
    public void write(Path file, List<TensorEntry> tensors, Map<String, String> metadata) throws IOException {
        SafetensorsWriter.write(file, tensors, metadata);
    }
}
