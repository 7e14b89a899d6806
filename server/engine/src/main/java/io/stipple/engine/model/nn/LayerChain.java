package io.stipple.engine.model.nn;

import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.function.UnaryOperator;

/**
 * Layers run one after another, each in its own scope, with each layer's output freed as soon as
 * the next layer has read it: a deep network then holds one layer's temporaries at a time instead
 * of every activation until the whole forward pass ends. The chain's input and its result are left
 * to their owners.
 */
public final class LayerChain {
    private final TensorScope scope;
    private final Tensor input; // the chain's input, its caller's to free
    private Tensor current; // the last layer's output (the input before the first layer)

    /** @param scope the open scope that owns the layers' outputs (the one the chain runs inside) */
    public LayerChain(TensorScope scope, Tensor input) {
        this.scope = scope;
        this.input = input;
        this.current = input;
    }

    public LayerChain then(UnaryOperator<Tensor> layer) {
        Tensor out;
        try (TensorScope s = current.ops().scope()) {
            out = s.keep(layer.apply(current));
        }
        if (current != input && current != out) {
            scope.free(current);
        }
        current = out;
        return this;
    }

    public Tensor result() {
        return current;
    }
}
