package io.stipple.engine.weights;

import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Tensor;
import java.util.List;
import java.util.Optional;

/**
 * Named model weights, by checkpoint key ({@code model.diffusion_model.out.2.weight}). A checkpoint
 * is one source; a merge of checkpoints and a LoRA-patched model are sources built on others.
 */
public interface ParameterSource {

    /** The weight, as float32 or as stored (backends convert stored types as they read them). */
    Optional<Tensor> find(String key);

    /** Declared dtype and shape, without loading. */
    Optional<TensorInfo> info(String key);

    /** Every key, in the source's order. */
    List<String> keys();

    default boolean has(String key) {
        return info(key).isPresent();
    }

    default Tensor get(String key) {
        return find(key).orElseThrow(() -> new MissingWeightException(key));
    }
}
