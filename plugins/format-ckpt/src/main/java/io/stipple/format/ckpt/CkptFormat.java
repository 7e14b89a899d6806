package io.stipple.format.ckpt;

import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.CheckpointFormatException;
import io.stipple.plugin.api.TensorIndex;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import org.pf4j.Extension;

/**
 * PyTorch checkpoints ({@code .ckpt}, {@code .pt}, {@code .pth}, {@code .bin}) read as data only:
 * the pickle inside is interpreted by {@link Unpickler}, which knows the globals a state dict needs
 * and refuses every other one, so nothing the file names is ever run, loaded or instantiated.
 * Both of torch's layouts are read: the zip archive of torch 1.6 and later
 * ({@link ZipCheckpoint}) and the legacy stream before it ({@link LegacyCheckpoint}). Storages are
 * mapped from the file, not read. Read-only.
 */
@Extension
public final class CkptFormat implements CheckpointFormat {
    /** The legacy format's magic number as its first pickle stores it (LONG1, little-endian). */
    private static final byte[] LEGACY_MAGIC = HexFormat.of().parseHex("8a0a6cfc9c46f9206aa85019");

    private final CkptLimits limits;

    public CkptFormat() {
        this(CkptLimits.DEFAULT);
    }

    public CkptFormat(CkptLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "ckpt";
    }

    @Override
    public List<String> extensions() {
        return List.of(".ckpt", ".pt", ".pth", ".bin");
    }

    @Override
    public boolean canRead(Path file, ByteBuffer head) {
        int n = head.limit();
        if (n >= 4 && head.get(0) == 'P' && head.get(1) == 'K' && head.get(2) == 3 && head.get(3) == 4) {
            return true;
        }
        if (n < 2 + LEGACY_MAGIC.length || (head.get(0) & 0xff) != 0x80) {
            return false;
        }
        // PROTO n, maybe a FRAME (protocol 4+), then LONG1 with the magic number.
        for (int at = 2; at + LEGACY_MAGIC.length <= Math.min(n, 24); at++) {
            if (head.slice(at, LEGACY_MAGIC.length).equals(ByteBuffer.wrap(LEGACY_MAGIC))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public TensorIndex open(Path file) throws IOException {
        Arena arena = Arena.ofShared();
        boolean opened = false;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            CkptIndex index = new CkptIndex(file, arena, read(all));
            opened = true;
            return index;
        } catch (FormatProblem p) {
            throw new CheckpointFormatException(file, p.getMessage(), p);
        } finally {
            if (!opened) {
                arena.close();
            }
        }
    }

    private ParsedCheckpoint read(MemorySegment all) {
        long size = all.byteSize();
        if (size < 4) {
            throw new FormatProblem("file of " + size + " bytes is too short for a checkpoint");
        }
        int b0 = all.get(ValueLayout.JAVA_BYTE, 0) & 0xff;
        int b1 = all.get(ValueLayout.JAVA_BYTE, 1) & 0xff;
        if (b0 == 'P' && b1 == 'K') {
            return ZipCheckpoint.read(all, limits);
        }
        if (b0 == 0x80) {
            return LegacyCheckpoint.read(all, limits);
        }
        if (size >= 262 && new String(all.asSlice(257, 5).toArray(ValueLayout.JAVA_BYTE),
                java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
            throw new FormatProblem("a tar archive: the format of PyTorch before 0.4, which Stipple does not read");
        }
        throw new FormatProblem("not a PyTorch checkpoint: starts with "
                + HexFormat.ofDelimiter(" ").formatHex(all.asSlice(0, Math.min(size, 8)).toArray(ValueLayout.JAVA_BYTE))
                + " (expected: a zip archive, 50 4b, or a legacy torch.save pickle, 80 02)");
    }
}
