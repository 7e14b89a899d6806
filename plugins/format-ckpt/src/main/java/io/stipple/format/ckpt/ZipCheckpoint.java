package io.stipple.format.ckpt;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * PyTorch's zip format ({@code torch.save} since 1.6): {@code <archive>/data.pkl} (the pickle),
 * {@code <archive>/data/<key>} (one raw storage each, STORED and 64-byte aligned),
 * {@code <archive>/byteorder} ("little" or "big"; absent in files older than torch 2.1, which are
 * little-endian) and {@code <archive>/version}. The archive folder is named after the file torch
 * first wrote, so it is taken from the first entry.
 */
final class ZipCheckpoint {
    private ZipCheckpoint() {}

    static ParsedCheckpoint read(MemorySegment file, CkptLimits limits) {
        ZipDirectory dir = ZipDirectory.read(file, limits.maxZipEntries());
        String prefix = archiveFolder(dir);
        boolean bigEndian = bigEndian(dir, prefix);
        ZipDirectory.Entry pkl = dir.find(prefix + "data.pkl").orElseThrow();
        MemorySegment pickle = switch (pkl.method()) {
            case ZipDirectory.STORED -> stored(dir, pkl);
            case ZipDirectory.DEFLATED -> MemorySegment.ofArray(
                    BoundedInflater.inflate(pkl.name(), dir.data(pkl), pkl.size(), limits.maxInflatedPickle()));
            default -> throw new FormatProblem(pkl.name() + " is compressed with zip method " + pkl.method()
                    + " (expected: 0, stored, or 8, deflated)");
        };
        PickleBudget budget = new PickleBudget(limits.maxPickleHeapBytes());
        StorageTable storages = new StorageTable(false, budget);
        PyValue root = new Unpickler(new PickleInput(pickle, 0), limits, budget, storages).load();
        StateDictLayout.Result layout = StateDictLayout.of(root, limits);
        return ParsedCheckpoint.assemble(layout, ref -> storage(dir, prefix, ref), bigEndian);
    }

    /** "archive/", from the first entry; or the one folder holding a data.pkl if the first entry is elsewhere. */
    private static String archiveFolder(ZipDirectory dir) {
        List<ZipDirectory.Entry> entries = dir.entries();
        if (entries.isEmpty()) {
            throw new FormatProblem("zip has no entries (expected: a torch.save archive with <folder>/data.pkl)");
        }
        String first = entries.get(0).name();
        int slash = first.indexOf('/');
        if (slash > 0 && dir.find(first.substring(0, slash + 1) + "data.pkl").isPresent()) {
            return first.substring(0, slash + 1);
        }
        List<String> pickles = entries.stream().map(ZipDirectory.Entry::name)
                .filter(n -> n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length())
                .limit(2).toList();
        if (pickles.size() != 1) {
            throw new FormatProblem("zip has " + (pickles.isEmpty() ? "no" : "several") + " <folder>/data.pkl entries"
                    + " (expected: one, as torch.save writes; first entry: " + first + ")");
        }
        return pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
    }

    private static boolean bigEndian(ZipDirectory dir, String prefix) {
        Optional<ZipDirectory.Entry> e = dir.find(prefix + "byteorder");
        if (e.isEmpty()) {
            return false;
        }
        if (e.get().method() != ZipDirectory.STORED || e.get().size() > 16) {
            throw new FormatProblem(e.get().name() + " is compressed or longer than 16 bytes (expected: 'little' or 'big')");
        }
        String order = new String(stored(dir, e.get()).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
        return switch (order) {
            case "little" -> false;
            case "big" -> true;
            default -> throw new FormatProblem(e.get().name() + " says '" + order + "' (expected: 'little' or 'big')");
        };
    }

    private static MemorySegment stored(ZipDirectory dir, ZipDirectory.Entry e) {
        if (e.size() != e.compressedSize()) {
            throw new FormatProblem("stored zip entry " + e.name() + " declares " + e.size() + " bytes and holds "
                    + e.compressedSize() + " (damaged zip)");
        }
        return dir.data(e);
    }

    private static MemorySegment storage(ZipDirectory dir, String prefix, StorageRef ref) {
        String name = prefix + "data/" + ref.key();
        ZipDirectory.Entry e = dir.find(name).orElseThrow(() -> new FormatProblem(
                "storage " + ref.key() + " has no entry " + name + " in the zip (truncated or damaged checkpoint)"));
        if (e.method() != ZipDirectory.STORED) {
            throw new FormatProblem(name + " is compressed (zip method " + e.method() + "; expected: stored, as torch"
                    + " writes storages, so that they can be mapped in place; a compressed storage is not inflated)");
        }
        MemorySegment data = stored(dir, e);
        if (data.byteSize() < ref.byteSize()) {
            throw new FormatProblem(name + " holds " + data.byteSize() + " bytes (expected: at least " + ref.byteSize()
                    + " for " + ref.numel() + " elements of " + ref.typeName() + ")");
        }
        return data.asSlice(ref.viewByteOffset(), ref.viewByteSize());
    }
}
