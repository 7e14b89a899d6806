package io.stipple.format.ckpt;

import io.stipple.format.ckpt.PyValue.PyBigInt;
import io.stipple.format.ckpt.PyValue.PyDict;
import io.stipple.format.ckpt.PyValue.PyInt;
import io.stipple.format.ckpt.PyValue.PyList;
import io.stipple.format.ckpt.PyValue.PyString;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * The format {@code torch.save} wrote before 1.6 (and still writes with
 * {@code _use_new_zipfile_serialization=False}): five pickles one after the other (the magic number,
 * the protocol version 1001, a sys_info dict, the object, the list of storage keys), then each
 * listed storage as an int64 element count and its raw bytes. Torch writes those little-endian
 * whatever the machine, so sys_info's byte order is not consulted. The storages are found by
 * walking their counts, which reads 8 bytes per storage; their data is mapped, not read.
 */
final class LegacyCheckpoint {
    static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LegacyCheckpoint() {}

    static ParsedCheckpoint read(MemorySegment file, CkptLimits limits) {
        PickleInput in = new PickleInput(file, 0);
        PickleBudget budget = new PickleBudget(limits.maxPickleHeapBytes());
        Unpickler.PersistentLoader none = pid -> {
            throw new FormatProblem("persistent id outside the legacy checkpoint's main pickle");
        };
        PyValue magic = new Unpickler(in, limits, budget, none).load();
        if (!(magic instanceof PyBigInt m) || !m.value().equals(MAGIC)) {
            throw new FormatProblem("legacy checkpoint's first pickle is " + describe(magic)
                    + " (expected: torch's magic number 0x1950a86a20f9469cfc6c)");
        }
        PyValue protocol = new Unpickler(in, limits, budget, none).load();
        if (!(protocol instanceof PyInt p) || p.value() != PROTOCOL_VERSION) {
            throw new FormatProblem("legacy checkpoint protocol " + describe(protocol) + " (expected: 1001)");
        }
        if (!(new Unpickler(in, limits, budget, none).load() instanceof PyDict)) {
            throw new FormatProblem("legacy checkpoint's sys_info is not a dict");
        }
        StorageTable storages = new StorageTable(true, budget);
        PyValue root = new Unpickler(in, limits, budget, storages).load();
        PyValue keys = new Unpickler(in, limits, budget, none).load();
        Map<String, MemorySegment> data = storageData(file, in.position(), keys, storages);
        StateDictLayout.Result layout = StateDictLayout.of(root, limits);
        return ParsedCheckpoint.assemble(layout, ref -> {
            MemorySegment bytes = data.get(ref.key());
            if (bytes == null) {
                throw new FormatProblem("storage " + ref.key() + " is not in the legacy checkpoint's storage list");
            }
            return bytes.asSlice(ref.viewByteOffset(), ref.viewByteSize());
        }, false);
    }

    private static Map<String, MemorySegment> storageData(MemorySegment file, long pos, PyValue keys, StorageTable storages) {
        if (!(keys instanceof PyList list)) {
            throw new FormatProblem("legacy checkpoint's storage list is a " + keys.typeName() + " (expected: a list)");
        }
        Map<String, MemorySegment> data = new HashMap<>();
        for (PyValue k : list.items()) {
            if (!(k instanceof PyString key)) {
                throw new FormatProblem("legacy storage key is a " + k.typeName() + " (expected: a string)");
            }
            StorageRef ref = storages.roots().get(key.value());
            if (ref == null) {
                throw new FormatProblem("legacy storage list names " + key + ", which the pickle never uses");
            }
            if (file.byteSize() - pos < 8) {
                throw new FormatProblem("legacy storage " + key + " at " + pos + " is cut off (truncated file)");
            }
            long count = file.get(I64, pos);
            if (count != ref.numel()) {
                throw new FormatProblem("legacy storage " + key + " holds " + count + " elements (expected: "
                        + ref.numel() + ", as the pickle declares)");
            }
            long bytes = ref.byteSize();
            if (bytes > file.byteSize() - pos - 8) {
                throw new FormatProblem("legacy storage " + key + " of " + bytes + " bytes at " + (pos + 8)
                        + " runs past the end of the file (truncated file)");
            }
            if (data.put(key.value(), file.asSlice(pos + 8, bytes)) != null) {
                throw new FormatProblem("legacy storage list names " + key + " twice");
            }
            pos += 8 + bytes;
        }
        return data;
    }

    private static String describe(PyValue v) {
        return switch (v) {
            case PyInt i -> Long.toString(i.value());
            case PyBigInt b -> "0x" + b.value().toString(16);
            default -> "a " + v.typeName();
        };
    }
}
