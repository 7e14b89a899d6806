package io.stipple.format.ckpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A zip whose every size and offset goes through zip64 fields (0xFFFFFFFF in the headers, the
 * real values in the 0x0001 extra field, a zip64 end record and locator), as miniz writes
 * checkpoints over 4 GB. STORED entries only.
 */
final class Zip64Writer {
    private Zip64Writer() {}

    static Path write(Path file, List<CheckpointFiles.Entry> entries) throws IOException {
        Out out = new Out();
        long[] offsets = new long[entries.size()];
        long[] crcs = new long[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            CheckpointFiles.Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(e.data());
            crcs[i] = crc.getValue();
            offsets[i] = out.size();
            out.u32(0x04034b50).u16(45).u16(0).u16(0).u16(0).u16(0).u32(crcs[i]).u32(0xffffffffL).u32(0xffffffffL)
                    .u16(name.length).u16(20).bytes(name);
            out.u16(1).u16(16).u64(e.data().length).u64(e.data().length);
            out.bytes(e.data());
        }
        long cdStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            CheckpointFiles.Entry e = entries.get(i);
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            out.u32(0x02014b50).u16(45).u16(45).u16(0).u16(0).u16(0).u16(0).u32(crcs[i]).u32(0xffffffffL)
                    .u32(0xffffffffL).u16(name.length).u16(28).u16(0).u16(0).u16(0).u32(0).u32(0xffffffffL).bytes(name);
            out.u16(1).u16(24).u64(e.data().length).u64(e.data().length).u64(offsets[i]);
        }
        long cdSize = out.size() - cdStart;
        long eocd64 = out.size();
        out.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(entries.size()).u64(entries.size())
                .u64(cdSize).u64(cdStart);
        out.u32(0x07064b50).u32(0).u64(eocd64).u32(1);
        out.u32(0x06054b50).u16(0).u16(0).u16(0xffff).u16(0xffff).u32(0xffffffffL).u32(0xffffffffL).u16(0);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static final class Out extends ByteArrayOutputStream {
        Out u16(int v) {
            write(v);
            write(v >>> 8);
            return this;
        }

        Out u32(long v) {
            return u16((int) v & 0xffff).u16((int) (v >>> 16) & 0xffff);
        }

        Out u64(long v) {
            return u32(v & 0xffffffffL).u32(v >>> 32);
        }

        Out bytes(byte[] b) {
            writeBytes(b);
            return this;
        }
    }
}
