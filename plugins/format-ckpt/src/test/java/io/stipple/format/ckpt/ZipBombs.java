package io.stipple.format.ckpt;

import io.stipple.format.ckpt.TorchPickles.Tensor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Zips whose entries inflate far beyond their size, written a megabyte at a time, and header patches. */
final class ZipBombs {
    private ZipBombs() {}

    /** A checkpoint whose one storage is {@code bytes} zeros, deflated. */
    static void compressedStorage(Path file, int bytes) throws IOException {
        byte[] pickle = TorchPickles.stateDict(List.of(Tensor.contiguous("w", "FloatStorage", "0", bytes / 4)));
        try (ZipOutputStream zip = open(file)) {
            stored(zip, "archive/data.pkl", pickle);
            zeros(zip, "archive/data/0", bytes);
        }
    }

    /** A checkpoint whose data.pkl is {@code bytes} zeros, deflated (and honestly declared). */
    static void deflatedPickle(Path file, int bytes) throws IOException {
        try (ZipOutputStream zip = open(file)) {
            zeros(zip, "archive/data.pkl", bytes);
        }
    }

    /** The same, with the central directory claiming the pickle inflates to {@code declared} bytes. */
    static void deflatedPickleDeclaring(Path file, int bytes, long declared) throws IOException {
        deflatedPickle(file, bytes);
        patchCentralEntry(file, "archive/data.pkl", 24, declared);
    }

    /** Overwrites a little-endian field of the end of central directory record. */
    static void patchEndRecord(Path file, int fieldOffset, long value, int width) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long eocd = raf.length() - 22;
            raf.seek(eocd + fieldOffset);
            for (int i = 0; i < width; i++) {
                raf.write((int) (value >>> (8 * i)));
            }
        }
    }

    /** Overwrites a 4-byte field of the named entry's central directory header. */
    static void patchCentralEntry(Path file, String name, int fieldOffset, long value) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int p = all.length - 46; p >= 0; p--) {
            if (all[p] == 0x50 && all[p + 1] == 0x4b && all[p + 2] == 1 && all[p + 3] == 2
                    && java.util.Arrays.equals(all, p + 46, p + 46 + n.length, n, 0, n.length)) {
                for (int i = 0; i < 4; i++) {
                    all[p + fieldOffset + i] = (byte) (value >>> (8 * i));
                }
                Files.write(file, all);
                return;
            }
        }
        throw new IllegalStateException("no central entry " + name);
    }

    private static ZipOutputStream open(Path file) throws IOException {
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        ZipOutputStream zip = new ZipOutputStream(os);
        zip.setLevel(9);
        return zip;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    private static void zeros(ZipOutputStream zip, String name, int bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        byte[] mb = new byte[1 << 20];
        for (int left = bytes; left > 0; left -= mb.length) {
            zip.write(mb, 0, Math.min(left, mb.length));
        }
        zip.closeEntry();
    }
}
