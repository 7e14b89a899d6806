package io.stipple.format.ckpt;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A value the pickle interpreter builds: plain data only. Nothing here can run code: a global
 * becomes a {@link PyGlobal} naming an allow-listed torch symbol, and a tensor is a description of
 * where its bytes are. Containers compare by identity and print without their contents, so a
 * hostile pickle that shares one container many times (a DAG) or puts one inside itself costs
 * nothing to hash or print.
 */
sealed interface PyValue {

    /** Containers nested below this one, as far as the pickle has built them (0 for scalars). */
    default int depth() {
        return 0;
    }

    /** The Python type name, for messages ("str", "dict", "torch.device"). */
    default String typeName() {
        return switch (this) {
            case PyNone _ -> "None";
            case PyBool _ -> "bool";
            case PyInt _, PyBigInt _ -> "int";
            case PyFloat _ -> "float";
            case PyString _ -> "str";
            case PyBytes _ -> "bytes";
            case PyTuple _ -> "tuple";
            case PyList _ -> "list";
            case PyDict _ -> "dict";
            case PyGlobal g -> g.global().fullName();
            case PyStorage _ -> "storage";
            case PyTensor _ -> "torch.Tensor";
            case PyOpaque o -> o.typeName;
        };
    }

    enum PyNone implements PyValue {
        NONE
    }

    record PyBool(boolean value) implements PyValue {}

    record PyInt(long value) implements PyValue {
        private static final PyInt[] SMALL = new PyInt[257];

        static {
            for (int i = 0; i < SMALL.length; i++) {
                SMALL[i] = new PyInt(i - 1);
            }
        }

        static PyInt of(long v) {
            return v >= -1 && v <= 255 ? SMALL[(int) v + 1] : new PyInt(v);
        }
    }

    /** An int too large for a long (the legacy format's magic number is one). */
    record PyBigInt(BigInteger value) implements PyValue {}

    record PyFloat(double value) implements PyValue {}

    record PyString(String value) implements PyValue {
        @Override
        public String toString() {
            return value.length() <= 80 ? "'" + value + "'" : "'" + value.substring(0, 80) + "...'";
        }
    }

    final class PyBytes implements PyValue {
        private final byte[] value;

        PyBytes(byte[] value) {
            this.value = value;
        }

        byte[] value() {
            return value;
        }

        @Override
        public String toString() {
            return "bytes(" + value.length + ")";
        }
    }

    final class PyTuple implements PyValue {
        private final List<PyValue> items;
        private final int depth;

        PyTuple(List<PyValue> items) {
            this.items = items;
            int d = 0;
            for (PyValue v : items) {
                d = Math.max(d, v.depth() + 1);
            }
            this.depth = d;
        }

        List<PyValue> items() {
            return items;
        }

        int size() {
            return items.size();
        }

        PyValue get(int i) {
            return items.get(i);
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public String toString() {
            return "tuple(" + items.size() + " items)";
        }
    }

    final class PyList implements PyValue {
        private final ArrayList<PyValue> items = new ArrayList<>();
        private int depth;

        List<PyValue> items() {
            return items;
        }

        /** Appends and returns this list's depth after it. */
        int add(PyValue v) {
            items.add(v);
            depth = Math.max(depth, v.depth() + 1);
            return depth;
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public String toString() {
            return "list(" + items.size() + " items)";
        }
    }

    /** dict, collections.OrderedDict and collections.Counter alike; insertion order kept. */
    final class PyDict implements PyValue {
        private LinkedHashMap<PyValue, PyValue> items;
        private int depth;

        /** Sets and returns this dict's depth after it. */
        int put(PyValue key, PyValue value) {
            if (items == null) {
                items = new LinkedHashMap<>(2);
            }
            items.put(key, value);
            depth = Math.max(depth, Math.max(key.depth(), value.depth()) + 1);
            return depth;
        }

        java.util.Map<PyValue, PyValue> items() {
            return items == null ? java.util.Map.of() : items;
        }

        PyValue get(String key) {
            return items == null ? null : items.get(new PyString(key));
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public String toString() {
            return "dict(" + items().size() + " items)";
        }
    }

    /** An allow-listed global: a name, never a loaded class or function. */
    record PyGlobal(TorchGlobal global) implements PyValue {}

    record PyStorage(StorageRef ref) implements PyValue {}

    record PyTensor(TensorRef ref) implements PyValue {}

    /** Something torch allows that a state dict never needs (a device, a set, a complex): kept as a name. */
    final class PyOpaque implements PyValue {
        private final String typeName;

        PyOpaque(String typeName) {
            this.typeName = typeName;
        }

        @Override
        public String toString() {
            return typeName;
        }
    }
}
