package io.stipple.engine.workflow;

import io.stipple.engine.pipeline.InvalidRequestException;
import java.util.Map;

/** A node's inputs for one run: linked values, literals and defaults, already checked against the node type. */
public final class NodeInputs {
    private final Map<String, Object> values;

    NodeInputs(Map<String, Object> values) {
        this.values = values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public ModelValue model(String name) {
        return get(name, ModelValue.class);
    }

    public ClipValue clip(String name) {
        return get(name, ClipValue.class);
    }

    public VaeValue vae(String name) {
        return get(name, VaeValue.class);
    }

    public ConditioningValue conditioning(String name) {
        return get(name, ConditioningValue.class);
    }

    public LatentValue latent(String name) {
        return get(name, LatentValue.class);
    }

    public ImageValue image(String name) {
        return get(name, ImageValue.class);
    }

    public long integer(String name) {
        return get(name, Long.class);
    }

    /** An INT input known to fit an int by its declared range. */
    public int smallInt(String name) {
        return Math.toIntExact(integer(name));
    }

    public double decimal(String name) {
        return get(name, Double.class);
    }

    public String text(String name) {
        return get(name, String.class);
    }

    public boolean bool(String name) {
        return get(name, Boolean.class);
    }

    private <T> T get(String name, Class<T> type) {
        Object v = values.get(name);
        if (!type.isInstance(v)) {
            // the validator guarantees the types; this is a node asking for an input it did not declare
            throw new InvalidRequestException(name, "is " + (v == null ? "missing" : v.getClass().getSimpleName())
                    + " (expected: " + type.getSimpleName() + ")");
        }
        return type.cast(v);
    }
}
