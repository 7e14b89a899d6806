package io.stipple.format.ckpt;

import io.stipple.format.ckpt.TorchGlobal.Kind;
import io.stipple.tensor.DType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The globals a checkpoint may name, after {@code torch._weights_only_unpickler._get_allowed_globals}
 * (torch's {@code torch.load(weights_only=True)}): torch storage types, dtypes, tensor classes and
 * rebuild functions, {@code collections.OrderedDict}/{@code Counter}, {@code torch.Size},
 * {@code torch.device}, and the few builtins torch needs for bytes and sets. A name is looked up in
 * this table and nothing else: no class is loaded, no module imported, no reflection.
 */
final class TorchGlobals {
    private static final Map<String, TorchGlobal> ALLOWED = new HashMap<>();

    static {
        add("collections", "OrderedDict", Kind.DICT, null);
        add("collections", "Counter", Kind.DICT, null);
        add("torch._utils", "_rebuild_tensor", Kind.REBUILD_TENSOR, null);
        add("torch._utils", "_rebuild_tensor_v2", Kind.REBUILD_TENSOR_V2, null);
        add("torch._utils", "_rebuild_tensor_v3", Kind.REBUILD_TENSOR_V3, null);
        add("torch._utils", "_rebuild_parameter", Kind.REBUILD_PARAMETER, null);
        add("torch._utils", "_rebuild_parameter_with_state", Kind.REBUILD_PARAMETER_WITH_STATE, null);
        add("torch._tensor", "_rebuild_from_type_v2", Kind.REBUILD_FROM_TYPE_V2, null);
        for (String f : new String[] {"_rebuild_qtensor", "_rebuild_sparse_tensor", "_rebuild_sparse_csr_tensor",
                "_rebuild_meta_tensor_no_storage", "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_numpy",
                "_rebuild_device_tensor_from_cpu_tensor", "_rebuild_nested_tensor"}) {
            add("torch._utils", f, Kind.UNSUPPORTED_TENSOR, null);
        }
        add("torch.nn.parameter", "Parameter", Kind.PARAMETER, null);
        add("torch", "Size", Kind.SIZE, null);
        add("torch", "device", Kind.DEVICE, null);
        add("torch.serialization", "_get_layout", Kind.LAYOUT, null);
        add("_codecs", "encode", Kind.CODECS_ENCODE, null);
        add("builtins", "bytearray", Kind.BYTEARRAY, null);
        add("builtins", "set", Kind.SET, null);
        add("builtins", "complex", Kind.COMPLEX, null);
        for (String q : new String[] {"per_tensor_affine", "per_tensor_symmetric", "per_channel_affine",
                "per_channel_symmetric", "per_channel_affine_float_qparams"}) {
            add("torch", q, Kind.QSCHEME, null);
        }
        addTyped("Double", DType.F64);
        addTyped("Float", DType.F32);
        addTyped("Half", DType.F16);
        addTyped("BFloat16", DType.BF16);
        addTyped("Long", DType.I64);
        addTyped("Int", DType.I32);
        addTyped("Short", DType.I16);
        addTyped("Char", DType.I8);
        addTyped("Byte", DType.U8);
        addTyped("Bool", DType.BOOL);
        addTyped("ComplexDouble", null);
        addTyped("ComplexFloat", null);
        for (String q : new String[] {"QUInt8", "QInt8", "QInt32", "QUInt4x2", "QUInt2x4"}) {
            add("torch", q + "Storage", Kind.STORAGE_TYPE, null);
        }
        // Untyped storages hold bytes; a tensor on one gets its dtype from _rebuild_tensor_v3.
        for (String m : new String[] {"torch", "torch.storage"}) {
            add(m, "UntypedStorage", Kind.STORAGE_TYPE, DType.U8);
            add(m, "_UntypedStorage", Kind.STORAGE_TYPE, DType.U8);
            add(m, "TypedStorage", Kind.STORAGE_TYPE, DType.U8);
            add(m, "_TypedStorage", Kind.STORAGE_TYPE, DType.U8);
        }
        add("torch", "Tensor", Kind.TENSOR_CLASS, null);
        dtype("float64", DType.F64);
        dtype("float32", DType.F32);
        dtype("float16", DType.F16);
        dtype("bfloat16", DType.BF16);
        dtype("int64", DType.I64);
        dtype("int32", DType.I32);
        dtype("int16", DType.I16);
        dtype("int8", DType.I8);
        dtype("uint8", DType.U8);
        dtype("bool", DType.BOOL);
        dtype("float8_e4m3fn", DType.F8_E4M3);
        dtype("float8_e5m2", DType.F8_E5M2);
        for (String t : new String[] {"complex32", "complex64", "complex128", "float8_e4m3fnuz", "float8_e5m2fnuz",
                "float8_e8m0fnu", "float4_e2m1fn_x2", "uint16", "uint32", "uint64", "quint8", "qint8", "qint32",
                "quint4x2", "quint2x4", "bits8", "bits16", "bits1x8", "bits2x4", "bits4x2"}) {
            dtype(t, null);
        }
        for (int bits = 1; bits < 8; bits++) {
            dtype("uint" + bits, null);
            dtype("int" + bits, null);
        }
    }

    private TorchGlobals() {}

    private static void add(String module, String name, Kind kind, DType dtype) {
        ALLOWED.put(module + "." + name, new TorchGlobal(module, name, kind, dtype));
    }

    /** torch.FloatStorage and torch.FloatTensor (with their torch.cuda twins of old files). */
    private static void addTyped(String prefix, DType dtype) {
        for (String m : new String[] {"torch", "torch.cuda"}) {
            add(m, prefix + "Storage", Kind.STORAGE_TYPE, dtype);
            if (dtype != null) {
                add(m, prefix + "Tensor", Kind.TENSOR_CLASS, dtype);
            }
        }
    }

    private static void dtype(String name, DType dtype) {
        add("torch", name, Kind.DTYPE, dtype);
    }

    /**
     * The allowed global for {@code module.name}, after the renames Python applies to old pickles
     * (Python 2's {@code __builtin__}, torch's old {@code torch.tensor} module).
     */
    static Optional<TorchGlobal> lookup(String module, String name) {
        String m = switch (module) {
            case "__builtin__" -> "builtins";
            case "torch.tensor" -> "torch._tensor";
            default -> module;
        };
        return Optional.ofNullable(ALLOWED.get(m + "." + name));
    }
}
