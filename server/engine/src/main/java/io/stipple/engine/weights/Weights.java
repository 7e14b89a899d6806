package io.stipple.engine.weights;

import io.stipple.tensor.Tensor;
import java.util.Optional;

/**
 * The weights under one key prefix, so that a module names its parameters the way the checkpoint
 * does: {@code unet.at("input_blocks.1.1").get("norm.weight")} reads
 * {@code model.diffusion_model.input_blocks.1.1.norm.weight}.
 */
public final class Weights {
    private final ParameterSource source;
    private final String prefix;

    private Weights(ParameterSource source, String prefix) {
        this.source = source;
        this.prefix = prefix;
    }

    /** Weights whose keys start with {@code prefix} (give it with its trailing dot, or empty). */
    public static Weights of(ParameterSource source, String prefix) {
        return new Weights(source, prefix);
    }

    public Weights at(String child) {
        return new Weights(source, prefix + child + ".");
    }

    public Weights at(int index) {
        return at(Integer.toString(index));
    }

    public Tensor get(String name) {
        return source.get(prefix + name);
    }

    public Optional<Tensor> find(String name) {
        return source.find(prefix + name);
    }

    /** The tensor, or null when the checkpoint has none (optional biases). */
    public Tensor orNull(String name) {
        return find(name).orElse(null);
    }

    public boolean has(String name) {
        return source.has(prefix + name);
    }

    public String key(String name) {
        return prefix + name;
    }

    public String prefix() {
        return prefix;
    }

    public ParameterSource source() {
        return source;
    }
}
