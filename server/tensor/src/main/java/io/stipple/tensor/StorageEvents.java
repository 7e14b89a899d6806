package io.stipple.tensor;

import java.util.List;

/**
 * What a backend tells an observer about memory: storages allocated and freed, scopes opened and
 * closed. Tests track lifetimes with it; the default does nothing.
 */
public interface StorageEvents {
    StorageEvents NONE = new StorageEvents() {};

    default void allocated(Storage storage) {}

    default void freed(Storage storage) {}

    default void scopeOpened(TensorScope scope) {}

    /** After {@code scope} has released what it owned; {@code escaped} are the tensors it kept. */
    default void scopeClosed(TensorScope scope, List<Tensor> escaped) {}
}
