package io.stipple.engine.merge;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.plugin.api.TensorInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a merge will do with every key of model A, decided from names, dtypes and shapes alone
 * before any weight is read: the checks have passed, and what they could not refuse is in
 * {@link #warnings()}. The output has exactly model A's keys, in model A's order.
 */
public final class MergePlan {

    /**
     * @param stored the dtype and shape of what is read: model B's tensor for {@link WeightOp.Copy#FROM_B},
     *               model A's otherwise (a computed weight is stored, by default, as A stores it)
     */
    record Step(String key, WeightOp op, TensorInfo stored) {}

    private final MergeRecipe recipe;
    private final ModelFamily family;
    private final Map<String, Step> steps;
    private final List<String> keys;
    private final List<String> keptFromA;
    private final List<String> warnings;

    MergePlan(MergeRecipe recipe, ModelFamily family, List<Step> steps, List<String> keptFromA, List<String> warnings) {
        this.recipe = recipe;
        this.family = family;
        this.steps = new LinkedHashMap<>();
        steps.forEach(s -> this.steps.put(s.key(), s));
        this.keys = List.copyOf(this.steps.keySet());
        this.keptFromA = List.copyOf(keptFromA);
        this.warnings = List.copyOf(warnings);
    }

    public MergeRecipe recipe() {
        return recipe;
    }

    public ModelFamily family() {
        return family;
    }

    /** The output's keys: model A's, in its order. */
    public List<String> keys() {
        return keys;
    }

    public int size() {
        return steps.size();
    }

    /** Keys the recipe wanted from model B (or C) that it lacks: model A's tensor is kept, as AUTOMATIC1111 does. */
    public List<String> keptFromA() {
        return keptFromA;
    }

    /** For the user: missing and surplus keys, one line per model and component. */
    public List<String> warnings() {
        return warnings;
    }

    /** Whether the key's weight is computed (rather than copied from one model). */
    public boolean isComputed(String key) {
        return step(key).map(s -> s.op() instanceof WeightOp.Computed).orElse(false);
    }

    Optional<Step> step(String key) {
        return Optional.ofNullable(steps.get(key));
    }

    List<Step> steps() {
        return List.copyOf(steps.values());
    }
}
