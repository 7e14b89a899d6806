package io.stipple.format.ckpt;

import io.stipple.format.ckpt.PyValue.PyBytes;
import io.stipple.format.ckpt.PyValue.PyDict;
import io.stipple.format.ckpt.PyValue.PyGlobal;
import io.stipple.format.ckpt.PyValue.PyInt;
import io.stipple.format.ckpt.PyValue.PyList;
import io.stipple.format.ckpt.PyValue.PyOpaque;
import io.stipple.format.ckpt.PyValue.PyStorage;
import io.stipple.format.ckpt.PyValue.PyString;
import io.stipple.format.ckpt.PyValue.PyTensor;
import io.stipple.format.ckpt.PyValue.PyTuple;
import io.stipple.tensor.DType;
import java.nio.charset.StandardCharsets;

/**
 * What the pickle's calls mean, for the allowed globals only. {@code REDUCE(f, args)} in a real
 * unpickler calls {@code f(*args)}; here each allowed {@code f} is a case that builds the data the
 * call would have returned (a dict, a tensor description, a tuple), so no Python or Java code named
 * by the file ever runs. A call on anything else stops the load.
 */
final class TorchCalls {
    private final CkptLimits limits;
    private final PickleBudget budget;

    TorchCalls(CkptLimits limits, PickleBudget budget) {
        this.limits = limits;
        this.budget = budget;
    }

    /** REDUCE: {@code callable(*args)}. */
    PyValue reduce(PyValue callable, PyValue args) {
        TorchGlobal g = global(callable, "REDUCE");
        PyTuple a = tuple(args, "arguments of " + g);
        return call(g, a, true);
    }

    /** NEWOBJ: {@code cls.__new__(cls, *args)}, allowed for what torch allows (Parameter) and dicts. */
    PyValue newObject(PyValue cls, PyValue args) {
        TorchGlobal g = global(cls, "NEWOBJ");
        PyTuple a = tuple(args, "arguments of " + g);
        return switch (g.kind()) {
            case PARAMETER -> parameter(a);
            case DICT -> new PyDict();
            default -> throw new FormatProblem("NEWOBJ would create an instance of " + g
                    + " (allowed: torch.nn.parameter.Parameter, collections.OrderedDict)");
        };
    }

    /**
     * BUILD: sets an object's state. Torch allows it on tensors, parameters and OrderedDicts (whose
     * state is {@code _metadata}, the module versions); none of that state matters to the tensors'
     * data, so it is checked for its target and dropped.
     */
    void build(PyValue target, PyValue state) {
        if (!(target instanceof PyDict) && !(target instanceof PyTensor)) {
            throw new FormatProblem("BUILD on a " + target.typeName() + " (expected: a tensor or an OrderedDict)");
        }
    }

    private PyValue call(TorchGlobal g, PyTuple a, boolean allowFromType) {
        return switch (g.kind()) {
            case DICT -> dict(g, a);
            case REBUILD_TENSOR, REBUILD_TENSOR_V2 -> tensor(g, a, null);
            case REBUILD_TENSOR_V3 -> tensor(g, a, dtypeArg(g, a, 6));
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE, PARAMETER -> parameter(a);
            case REBUILD_FROM_TYPE_V2 -> {
                if (!allowFromType) {
                    throw new FormatProblem(g + " nested in itself");
                }
                yield fromType(g, a);
            }
            case UNSUPPORTED_TENSOR -> throw new FormatProblem(g + " makes a quantized, sparse, nested, meta or"
                    + " device-specific tensor (expected: dense tensors with storage)");
            case SIZE -> tuple(arg(g, a, 0), "argument of torch.Size");
            case DEVICE -> new PyOpaque("torch.device");
            case LAYOUT -> new PyOpaque("torch.layout");
            case SET -> new PyOpaque("set");
            case COMPLEX -> new PyOpaque("complex");
            case CODECS_ENCODE, BYTEARRAY -> bytes(g, a);
            case TENSOR_CLASS, STORAGE_TYPE, DTYPE, QSCHEME -> throw new FormatProblem(
                    "REDUCE calls " + g + " (expected: a torch._utils rebuild function; constructing " + g
                            + " from pickled data is not supported)");
        };
    }

    private PyDict dict(TorchGlobal g, PyTuple a) {
        PyDict d = new PyDict();
        if (a.size() == 0) {
            return d;
        }
        // OrderedDict(pairs) / Counter(mapping): copy the entries, which are already built.
        PyValue init = a.get(0);
        budget.charge(PickleBudget.MAP);
        if (init instanceof PyDict src) {
            for (var e : src.items().entrySet()) {
                budget.charge(PickleBudget.MAP_ENTRY);
                d.put(e.getKey(), e.getValue());
            }
        } else if (init instanceof PyList list) {
            for (PyValue pair : list.items()) {
                PyTuple kv = pair instanceof PyTuple t && t.size() == 2 ? t : null;
                if (kv == null) {
                    throw new FormatProblem(g + " given a " + pair.typeName() + " (expected: (key, value) pairs)");
                }
                budget.charge(PickleBudget.MAP_ENTRY);
                d.put(kv.get(0), kv.get(1));
            }
        } else {
            throw new FormatProblem(g + " given a " + init.typeName() + " (expected: nothing, a dict or a list of pairs)");
        }
        if (d.depth() > limits.maxValueDepth()) {
            throw new FormatProblem("values nested " + d.depth() + " deep (expected: at most " + limits.maxValueDepth() + ")");
        }
        return d;
    }

    /** _rebuild_tensor(storage, offset, size, stride[, requires_grad, hooks[, dtype (v3)], metadata]). */
    private PyTensor tensor(TorchGlobal g, PyTuple a, DType v3Dtype) {
        if (!(arg(g, a, 0) instanceof PyStorage s)) {
            throw new FormatProblem(g + " given a " + a.get(0).typeName() + " (expected: a storage)");
        }
        long offset = integer(arg(g, a, 1), "storage offset");
        long[] size = integers(tuple(arg(g, a, 2), "size of " + g), "size");
        long[] stride = integers(tuple(arg(g, a, 3), "stride of " + g), "stride");
        if (size.length != stride.length) {
            throw new FormatProblem(g + " with size of rank " + size.length + " and stride of rank " + stride.length
                    + " (expected: equal ranks)");
        }
        if (size.length > limits.maxTensorRank()) {
            throw new FormatProblem("tensor of rank " + size.length + " (expected: at most " + limits.maxTensorRank() + ")");
        }
        DType dtype = v3Dtype != null ? v3Dtype : s.ref().dtype();
        budget.charge(PickleBudget.OBJECT * 3 + 16L * size.length);
        return new PyTensor(new TensorRef(s.ref(), dtype, offset, size, stride));
    }

    private DType dtypeArg(TorchGlobal g, PyTuple a, int i) {
        PyValue v = arg(g, a, i);
        if (!(v instanceof PyGlobal dg) || dg.global().kind() != TorchGlobal.Kind.DTYPE) {
            throw new FormatProblem(g + " given a " + v.typeName() + " as dtype (expected: a torch dtype)");
        }
        if (dg.global().dtype() == null) {
            throw new FormatProblem("tensor dtype " + dg.global() + " is not supported (expected: float64/32/16,"
                    + " bfloat16, float8_e4m3fn/e5m2, int64/32/16/8, uint8, bool)");
        }
        return dg.global().dtype();
    }

    /** Parameter(data, requires_grad) and _rebuild_parameter(data, requires_grad, hooks[, state]): the data. */
    private PyTensor parameter(PyTuple a) {
        if (a.size() == 0 || !(a.get(0) instanceof PyTensor t)) {
            String got = a.size() == 0 ? "nothing" : a.get(0).typeName();
            throw new FormatProblem("Parameter given " + got + " (expected: a tensor)");
        }
        return t;
    }

    /** _rebuild_from_type_v2(func, new_type, args, state): tensors with Python attributes. */
    private PyValue fromType(TorchGlobal g, PyTuple a) {
        TorchGlobal func = global(arg(g, a, 0), g.toString());
        TorchGlobal type = global(arg(g, a, 1), g.toString());
        if (type.kind() != TorchGlobal.Kind.TENSOR_CLASS && type.kind() != TorchGlobal.Kind.PARAMETER) {
            throw new FormatProblem(g + " makes a " + type + " (expected: torch.Tensor or Parameter)");
        }
        PyValue result = call(func, tuple(arg(g, a, 2), "arguments of " + func), false);
        if (!(result instanceof PyTensor)) {
            throw new FormatProblem(g + " applies " + func + ", which makes a " + result.typeName() + " (expected: a tensor)");
        }
        return result;
    }

    /** _codecs.encode(str, 'latin1') and bytearray(...): how Python 3 pickles bytes at protocol 2. */
    private PyBytes bytes(TorchGlobal g, PyTuple a) {
        if (a.size() == 0) {
            return new PyBytes(new byte[0]);
        }
        PyValue v = a.get(0);
        if (v instanceof PyBytes b) {
            return b;
        }
        if (v instanceof PyString s) {
            for (int i = 0; i < s.value().length(); i++) {
                if (s.value().charAt(i) > 0xff) {
                    throw new FormatProblem(g + " given a string with a character above U+00FF (expected: latin-1 text)");
                }
            }
            budget.charge(PickleBudget.OBJECT + s.value().length());
            return new PyBytes(s.value().getBytes(StandardCharsets.ISO_8859_1));
        }
        throw new FormatProblem(g + " given a " + v.typeName() + " (expected: a string or bytes)");
    }

    private static TorchGlobal global(PyValue v, String opcode) {
        if (v instanceof PyGlobal g) {
            return g.global();
        }
        throw new FormatProblem(opcode + " calls a " + v.typeName() + " (expected: an allowed global)");
    }

    private static PyTuple tuple(PyValue v, String what) {
        if (v instanceof PyTuple t) {
            return t;
        }
        throw new FormatProblem(what + " is a " + v.typeName() + " (expected: a tuple)");
    }

    private static PyValue arg(TorchGlobal g, PyTuple a, int i) {
        if (i >= a.size()) {
            throw new FormatProblem(g + " given " + a.size() + " arguments (expected: at least " + (i + 1) + ")");
        }
        return a.get(i);
    }

    private static long integer(PyValue v, String what) {
        if (v instanceof PyInt i) {
            return i.value();
        }
        throw new FormatProblem(what + " is a " + v.typeName() + " (expected: an int)");
    }

    private static long[] integers(PyTuple t, String what) {
        long[] r = new long[t.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = integer(t.get(i), what + "[" + i + "]");
        }
        return r;
    }
}
