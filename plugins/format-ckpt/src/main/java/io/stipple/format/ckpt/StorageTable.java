package io.stipple.format.ckpt;

import io.stipple.format.ckpt.PyValue.PyBytes;
import io.stipple.format.ckpt.PyValue.PyGlobal;
import io.stipple.format.ckpt.PyValue.PyInt;
import io.stipple.format.ckpt.PyValue.PyNone;
import io.stipple.format.ckpt.PyValue.PyStorage;
import io.stipple.format.ckpt.PyValue.PyString;
import io.stipple.format.ckpt.PyValue.PyTuple;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The storages a pickle names by persistent id. The zip format writes
 * {@code ('storage', torch.FloatStorage, key, location, numel)}; the legacy format adds a sixth
 * element, {@code None} or a view {@code (view_key, offset, numel)}. Nothing is read here: the
 * format's reader finds each storage's bytes afterwards.
 */
final class StorageTable implements Unpickler.PersistentLoader {
    private static final long ROOT_COST = 160;

    private final boolean legacy;
    private final PickleBudget budget;
    private final Map<String, StorageRef> roots = new LinkedHashMap<>();

    StorageTable(boolean legacy, PickleBudget budget) {
        this.legacy = legacy;
        this.budget = budget;
    }

    /** Every storage named so far, by key, in the order first named. */
    Map<String, StorageRef> roots() {
        return roots;
    }

    @Override
    public PyValue load(PyTuple pid) {
        int expected = legacy ? 6 : 5;
        String typename = pid.size() == 0 ? "" : text(pid.get(0), "persistent id kind");
        if (typename.equals("module")) {
            throw new FormatProblem("the file pickles a whole nn.Module (torch.save(model)) (expected: a state dict;"
                    + " save model.state_dict() instead)");
        }
        if (!typename.equals("storage") || pid.size() != expected) {
            throw new FormatProblem("persistent id ('" + typename + "', ...) of " + pid.size() + " elements (expected: ('storage', type,"
                    + " key, location, numel" + (legacy ? ", view)" : ")") + ")");
        }
        TorchGlobal type = storageType(pid.get(1));
        String key = text(pid.get(2), "storage key");
        text(pid.get(3), "storage location");
        long numel = count(pid.get(4), "numel of storage " + key);
        if (numel > Long.MAX_VALUE / type.dtype().byteSize()) {
            throw new FormatProblem("storage " + key + " of " + numel + " elements (too large for any file)");
        }
        StorageRef root = roots.get(key);
        if (root == null) {
            budget.charge(ROOT_COST);
            root = new StorageRef(key, type.dtype(), type.fullName(), numel, 0, numel);
            roots.put(key, root);
        } else if (root.dtype() != type.dtype() || root.numel() != numel) {
            throw new FormatProblem("storage " + key + " named as " + root.numel() + " " + root.typeName() + " and as "
                    + numel + " " + type.fullName() + " (expected: one type and size per storage)");
        }
        return new PyStorage(legacy ? view(root, pid.get(5)) : root);
    }

    /** A legacy storage view: a slice of a root storage that tensors index from its start. */
    private static StorageRef view(StorageRef root, PyValue meta) {
        if (meta == PyNone.NONE) {
            return root;
        }
        if (!(meta instanceof PyTuple t) || t.size() != 3) {
            throw new FormatProblem("storage view of " + root.key() + " is a " + meta.typeName()
                    + " (expected: None or (view_key, offset, numel))");
        }
        long offset = count(t.get(1), "offset of a view of storage " + root.key());
        long numel = count(t.get(2), "numel of a view of storage " + root.key());
        if (offset > root.numel() || numel > root.numel() - offset) {
            throw new FormatProblem("storage view [" + offset + ", " + offset + " + " + numel + ") of storage " + root.key()
                    + " (expected: within its " + root.numel() + " elements)");
        }
        return new StorageRef(root.key(), root.dtype(), root.typeName(), root.numel(), offset, numel);
    }

    private static TorchGlobal storageType(PyValue v) {
        if (!(v instanceof PyGlobal g) || g.global().kind() != TorchGlobal.Kind.STORAGE_TYPE) {
            throw new FormatProblem("storage type is a " + v.typeName() + " (expected: a torch storage type such as"
                    + " torch.FloatStorage)");
        }
        if (g.global().dtype() == null) {
            throw new FormatProblem("storage type " + g.global() + " is not supported (expected: float, half, bfloat16,"
                    + " double, long, int, short, char, byte, bool or untyped storages)");
        }
        return g.global();
    }

    private static String text(PyValue v, String what) {
        if (v instanceof PyString s) {
            return s.value();
        }
        if (v instanceof PyBytes b) {
            return new String(b.value(), StandardCharsets.ISO_8859_1);
        }
        throw new FormatProblem(what + " is a " + v.typeName() + " (expected: a string)");
    }

    private static long count(PyValue v, String what) {
        if (v instanceof PyInt i && i.value() >= 0) {
            return i.value();
        }
        throw new FormatProblem(what + " is " + (v instanceof PyInt i ? String.valueOf(i.value()) : "a " + v.typeName())
                + " (expected: an int >= 0)");
    }
}
