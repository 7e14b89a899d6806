package io.stipple.engine.checkpoint;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Opens a model file with whichever format plugin recognises its first bytes. */
public final class CheckpointOpener {
    private static final int HEAD_BYTES = 64;

    private final List<CheckpointFormat> formats;

    public CheckpointOpener(List<CheckpointFormat> formats) {
        this.formats = List.copyOf(formats);
    }

    public List<CheckpointFormat> formats() {
        return formats;
    }

    /**
     * @throws CheckpointFormatException if no format recognises the file, or the file is damaged
     * @throws NoSuchFileException if it does not exist
     */
    public TensorIndex open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new CheckpointFormatException(file, "not a regular file");
        }
        ByteBuffer head = head(file);
        for (CheckpointFormat format : formats) {
            if (format.canRead(file, head.duplicate())) {
                return format.open(file);
            }
        }
        throw new CheckpointFormatException(file, "not a model file any installed format can read (tried "
                + formats.stream().map(CheckpointFormat::name).toList() + ")");
    }

    /** The format that writes {@code name}'s ending, or the first that can write at all. */
    public CheckpointFormat writerFor(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        return formats.stream().filter(CheckpointFormat::canWrite)
                .filter(f -> f.extensions().stream().anyMatch(lower::endsWith))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(fileName + ": no installed format writes this kind of file (writable: "
                        + formats.stream().filter(CheckpointFormat::canWrite).flatMap(f -> f.extensions().stream()).toList() + ")"));
    }

    private static ByteBuffer head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ByteBuffer.wrap(in.readNBytes(HEAD_BYTES));
        }
    }
}
