package io.stipple.format.ckpt;

import io.stipple.tensor.DType;

/**
 * A global a checkpoint's pickle may name, with what the interpreter does when the pickle calls it.
 *
 * @param dtype for storage types and dtypes, the element type; null where Stipple has none
 *              (complex, quantized), which refuses the tensor that uses it
 */
record TorchGlobal(String module, String name, Kind kind, DType dtype) {

    enum Kind {
        /** collections.OrderedDict / Counter: calling one makes a dict. */
        DICT,
        REBUILD_TENSOR,
        REBUILD_TENSOR_V2,
        REBUILD_TENSOR_V3,
        REBUILD_PARAMETER,
        REBUILD_PARAMETER_WITH_STATE,
        /** torch._tensor._rebuild_from_type_v2: a rebuild function applied, then a type and attributes. */
        REBUILD_FROM_TYPE_V2,
        /** Allowed by torch's weights-only loader but not a dense tensor Stipple can serve. */
        UNSUPPORTED_TENSOR,
        PARAMETER,
        TENSOR_CLASS,
        STORAGE_TYPE,
        DTYPE,
        SIZE,
        DEVICE,
        LAYOUT,
        QSCHEME,
        CODECS_ENCODE,
        BYTEARRAY,
        SET,
        COMPLEX
    }

    String fullName() {
        return module + "." + name;
    }

    @Override
    public String toString() {
        return fullName();
    }
}
