package io.stipple.format.ckpt;

import io.stipple.tensor.DType;

/**
 * A storage the pickle names by persistent id: which bytes of the file it is, not the bytes.
 *
 * @param key        the storage's key ({@code data/<key>} in a zip, the legacy format's storage id)
 * @param dtype      its element type ({@link DType#U8} for untyped storages)
 * @param typeName   the storage type as the pickle named it, for messages
 * @param numel      elements of the whole storage
 * @param viewOffset first element of the part the tensors see (legacy storage views; 0 otherwise)
 * @param viewNumel  elements of that part ({@code numel} otherwise)
 */
record StorageRef(String key, DType dtype, String typeName, long numel, long viewOffset, long viewNumel) {

    /** Bytes of the whole storage; the constructor's caller has checked this does not overflow. */
    long byteSize() {
        return numel * dtype.byteSize();
    }

    long viewByteOffset() {
        return viewOffset * dtype.byteSize();
    }

    long viewByteSize() {
        return viewNumel * dtype.byteSize();
    }
}
