package io.stipple.engine.merge;

import io.stipple.engine.weights.ParameterSource;
import java.util.Objects;

/** One input of a merge: its weights and the name messages and metadata call it by (its file name). */
public record MergeModel(String name, ParameterSource weights) {
    public MergeModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(weights, "weights");
    }
}
