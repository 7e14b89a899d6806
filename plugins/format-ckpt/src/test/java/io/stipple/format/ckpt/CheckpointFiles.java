package io.stipple.format.ckpt;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Checkpoint files the tests write themselves: torch's zip layout and the legacy stream. */
final class CheckpointFiles {
    private CheckpointFiles() {}

    record Entry(String name, byte[] data, int method) {
        static Entry stored(String name, byte[] data) {
            return new Entry(name, data, ZipEntry.STORED);
        }

        static Entry deflated(String name, byte[] data) {
            return new Entry(name, data, ZipEntry.DEFLATED);
        }
    }

    /** A zip written by the JDK's ZipOutputStream. */
    static Path zip(Path file, List<Entry> entries) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
                ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Entry e : entries) {
                ZipEntry z = new ZipEntry(e.name());
                z.setMethod(e.method());
                if (e.method() == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(e.data());
                    z.setSize(e.data().length);
                    z.setCompressedSize(e.data().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.data());
                zip.closeEntry();
            }
        }
        return file;
    }

    /** torch's layout: archive/data.pkl, archive/data/KEY for each storage, archive/version. */
    static List<Entry> torchEntries(String archive, byte[] pickle, Map<String, byte[]> storages) {
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.stored(archive + "/data.pkl", pickle));
        storages.forEach((key, data) -> entries.add(Entry.stored(archive + "/data/" + key, data)));
        entries.add(Entry.stored(archive + "/version", "3\n".getBytes()));
        return entries;
    }

    static Path torchZip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        return zip(file, torchEntries("archive", pickle, storages));
    }

    /** The legacy stream: magic, protocol 1001, sys_info, the object, the storage keys, then each storage. */
    static byte[] legacy(byte[] mainPickle, LinkedHashMap<String, byte[]> storages, Map<String, Long> numels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] magic = new BigInteger("1950a86a20f9469cfc6c", 16).toByteArray(); // big-endian, 10 bytes
        PickleWriter m = new PickleWriter().proto(2).op(0x8a).u8(magic.length);
        for (int i = magic.length - 1; i >= 0; i--) {
            m.u8(magic[i] & 0xff);
        }
        out.writeBytes(m.stop().bytes());
        out.writeBytes(new PickleWriter().proto(2).integer(1001).stop().bytes());
        out.writeBytes(new PickleWriter().proto(2).emptyDict().str("little_endian").bool(true).setItem().stop().bytes());
        out.writeBytes(mainPickle);
        PickleWriter keys = new PickleWriter().proto(2).op(']').mark();
        storages.keySet().forEach(keys::str);
        out.writeBytes(keys.op('e').stop().bytes());
        storages.forEach((key, data) -> {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(numels.get(key)).array());
            out.writeBytes(data);
        });
        return out.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** Reverses each {@code elementSize}-byte element: little-endian data as a big-endian machine writes it. */
    static byte[] swapped(byte[] data, int elementSize) {
        byte[] r = new byte[data.length];
        for (int i = 0; i < data.length; i += elementSize) {
            for (int j = 0; j < elementSize; j++) {
                r[i + j] = data[i + elementSize - 1 - j];
            }
        }
        return r;
    }
}
