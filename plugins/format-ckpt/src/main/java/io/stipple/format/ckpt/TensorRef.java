package io.stipple.format.ckpt;

import io.stipple.tensor.DType;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a storage, an offset into it,
 * sizes and strides, all in elements of {@code dtype}. Not yet checked against the storage.
 */
record TensorRef(StorageRef storage, DType dtype, long offset, long[] size, long[] stride) {}
