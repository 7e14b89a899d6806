package io.stipple.format.ckpt;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A zip file's central directory, read from the mapped file (zip64 included: checkpoints over 4 GB
 * need it). Torch writes its entries STORED, so an entry's data is a range of the file that can be
 * mapped in place; this reader finds that range and checks that it, its local header and the
 * directory all lie inside the file, that the entry count is bounded and that no name repeats.
 */
final class ZipDirectory {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int EOCD64_LOCATOR_SIG = 0x07064b50;
    private static final int EOCD64_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    /** Torch names entries "archive/data/123"; its archive folder is the file's stem. */
    private static final int MAX_NAME = 4096;
    /** 2^18 entries of torch's names take about 25 MB; the directory is decoded into the heap. */
    private static final long MAX_DIRECTORY = 64L << 20;

    /** One entry as the central directory describes it. */
    record Entry(String name, int method, int flags, long compressedSize, long size, long localHeaderOffset) {}

    private final MemorySegment file;
    private final long directoryStart;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;

    private ZipDirectory(MemorySegment file, long directoryStart, List<Entry> entries, Map<String, Entry> byName) {
        this.file = file;
        this.directoryStart = directoryStart;
        this.entries = entries;
        this.byName = byName;
    }

    static ZipDirectory read(MemorySegment file, int maxEntries) {
        long size = file.byteSize();
        long eocd = findEndOfDirectory(file);
        if (u16(file, eocd + 4) != 0 || u16(file, eocd + 6) != 0) {
            throw new FormatProblem("zip spans several disks (expected: one file)");
        }
        long count = u16(file, eocd + 10);
        long cdSize = u32(file, eocd + 12);
        long cdOffset = u32(file, eocd + 16);
        long directoryEnd = eocd;
        long locator = eocd - 20;
        if (locator >= 0 && file.get(U32, locator) == EOCD64_LOCATOR_SIG) {
            long eocd64 = file.get(U64, locator + 8);
            if (eocd64 < 0 || eocd64 > locator - 56 || file.get(U32, eocd64) != EOCD64_SIG) {
                throw new FormatProblem("zip64 end of central directory at " + eocd64 + " is missing or damaged");
            }
            count = file.get(U64, eocd64 + 32);
            cdSize = file.get(U64, eocd64 + 40);
            cdOffset = file.get(U64, eocd64 + 48);
            directoryEnd = eocd64;
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > directoryEnd || cdSize > directoryEnd - cdOffset) {
            throw new FormatProblem("zip central directory [" + cdOffset + ", +" + cdSize + ") lies outside the file of "
                    + size + " bytes (truncated or damaged zip)");
        }
        if (cdSize > MAX_DIRECTORY) {
            throw new FormatProblem("zip central directory of " + cdSize + " bytes (expected: at most " + MAX_DIRECTORY + ")");
        }
        if (count < 0 || count > maxEntries) {
            throw new FormatProblem("zip declares " + count + " entries (expected: at most " + maxEntries + ")");
        }
        if (count * CENTRAL_SIZE > cdSize) {
            throw new FormatProblem("zip declares " + count + " entries in a central directory of " + cdSize
                    + " bytes (expected: at least " + CENTRAL_SIZE + " bytes each)");
        }
        List<Entry> entries = new ArrayList<>((int) count);
        Map<String, Entry> byName = new HashMap<>();
        long pos = cdOffset;
        long end = cdOffset + cdSize;
        for (long i = 0; i < count; i++) {
            if (end - pos < CENTRAL_SIZE || file.get(U32, pos) != CENTRAL_SIG) {
                throw new FormatProblem("zip central directory entry " + i + " at " + pos + " is damaged");
            }
            int nameLen = u16(file, pos + 28);
            int extraLen = u16(file, pos + 30);
            int commentLen = u16(file, pos + 32);
            long next = pos + CENTRAL_SIZE + nameLen + extraLen + commentLen;
            if (next > end) {
                throw new FormatProblem("zip central directory entry " + i + " runs past the directory's end");
            }
            if (nameLen > MAX_NAME) {
                throw new FormatProblem("zip entry " + i + " has a name of " + nameLen + " bytes (expected: at most " + MAX_NAME + ")");
            }
            String name = new String(file.asSlice(pos + CENTRAL_SIZE, nameLen).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            Entry e = entry(file, pos, name, pos + CENTRAL_SIZE + nameLen, extraLen);
            if (byName.putIfAbsent(name, e) != null) {
                throw new FormatProblem("zip holds two entries named " + name + " (expected: unique names)");
            }
            entries.add(e);
            pos = next;
        }
        return new ZipDirectory(file, cdOffset, List.copyOf(entries), byName);
    }

    private static Entry entry(MemorySegment file, long pos, String name, long extra, int extraLen) {
        int flags = u16(file, pos + 8);
        int method = u16(file, pos + 10);
        long compressed = u32(file, pos + 20);
        long size = u32(file, pos + 24);
        long local = u32(file, pos + 42);
        // zip64: the fields set to 0xFFFFFFFF are in the 0x0001 extra field, in this order.
        if (size == 0xffffffffL || compressed == 0xffffffffL || local == 0xffffffffL) {
            long at = zip64Field(file, extra, extraLen, name);
            long fieldEnd = extra + extraLen;
            if (size == 0xffffffffL) {
                size = field(file, at, fieldEnd, name);
                at += 8;
            }
            if (compressed == 0xffffffffL) {
                compressed = field(file, at, fieldEnd, name);
                at += 8;
            }
            if (local == 0xffffffffL) {
                local = field(file, at, fieldEnd, name);
            }
        }
        if (size < 0 || compressed < 0 || local < 0) {
            throw new FormatProblem("zip entry " + name + " has sizes or offset above 2^63");
        }
        return new Entry(name, method, flags, compressed, size, local);
    }

    private static long zip64Field(MemorySegment file, long extra, int extraLen, String name) {
        long p = extra;
        long end = extra + extraLen;
        while (end - p >= 4) {
            int id = u16(file, p);
            int len = u16(file, p + 2);
            if (id == 0x0001) {
                return p + 4;
            }
            p += 4 + len;
        }
        throw new FormatProblem("zip entry " + name + " needs a zip64 extra field and has none");
    }

    private static long field(MemorySegment file, long at, long end, String name) {
        if (at + 8 > end) {
            throw new FormatProblem("zip entry " + name + " has a short zip64 extra field");
        }
        return file.get(U64, at);
    }

    private static long findEndOfDirectory(MemorySegment file) {
        long size = file.byteSize();
        long lowest = Math.max(0, size - EOCD_SIZE - 0xffff);
        for (long p = size - EOCD_SIZE; p >= lowest; p--) {
            if (file.get(U32, p) == EOCD_SIG && p + EOCD_SIZE + u16(file, p + 20) <= size) {
                return p;
            }
        }
        throw new FormatProblem("zip has no end of central directory record (truncated or not a zip)");
    }

    List<Entry> entries() {
        return entries;
    }

    Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The entry's stored bytes (compressed ones for a compressed entry), checked to lie before the directory. */
    MemorySegment data(Entry e) {
        long local = e.localHeaderOffset();
        if (local > directoryStart - LOCAL_SIZE || file.get(U32, local) != LOCAL_SIG) {
            throw new FormatProblem("zip entry " + e.name() + " has no local header at " + local + " (damaged zip)");
        }
        if ((e.flags() & 1) != 0) {
            throw new FormatProblem("zip entry " + e.name() + " is encrypted");
        }
        long start = local + LOCAL_SIZE + u16(file, local + 26) + u16(file, local + 28);
        if (start > directoryStart || e.compressedSize() > directoryStart - start) {
            throw new FormatProblem("zip entry " + e.name() + " [" + start + ", +" + e.compressedSize()
                    + ") runs past the entries' area (truncated or damaged zip)");
        }
        return file.asSlice(start, e.compressedSize());
    }

    private static int u16(MemorySegment f, long at) {
        return f.get(U16, at) & 0xffff;
    }

    private static long u32(MemorySegment f, long at) {
        return f.get(U32, at) & 0xffffffffL;
    }
}
