package io.stipple.engine.merge;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.plugin.api.TensorInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Decides, from model A's keys and the recipe, what the merge does with each weight, and refuses
 * what cannot be merged before anything is read or written.
 *
 * <p>A key of a blended component that model B (or C) lacks keeps model A's tensor, as
 * AUTOMATIC1111 does for B; for C, AUTOMATIC1111 would take zeros (adding all of B), which is
 * never what a user wants, so model A's tensor is kept there too. Integer tensors (CLIP's
 * {@code position_ids}) are never blended. Both are reported in the plan's warnings.
 */
final class MergePlanner {
    private static final int NAMED_IN_MESSAGE = 3;

    private final MergeRecipe recipe;
    private final MergeModel a;
    private final MergeModel b;
    private final MergeModel c;
    private final DoubleFunction<WeightOp.Computed> blend;
    private final List<MergePlan.Step> steps = new ArrayList<>();
    private final List<String> keptFromA = new ArrayList<>();
    private final Map<String, List<String>> missing = new LinkedHashMap<>();
    private final List<String> mismatches = new ArrayList<>();

    private MergePlanner(MergeRecipe recipe, MergeModel a, MergeModel b, MergeModel c, DoubleFunction<WeightOp.Computed> blend) {
        this.recipe = recipe;
        this.a = a;
        this.b = b;
        this.c = c;
        this.blend = blend;
    }

    /** @param c model C, or null when the recipe does not use one */
    static MergePlan plan(MergeRecipe recipe, MergeModel a, MergeModel b, MergeModel c) {
        DoubleFunction<WeightOp.Computed> blend = switch (recipe.mode()) {
            case WEIGHTED_SUM -> WeightOp.Linear::weightedSum;
            case ADD_DIFFERENCE -> m -> new WeightOp.AddDifference((float) m);
        };
        return plan(recipe, a, b, c, blend);
    }

    /** With another formula for blended weights (ComfyUI's ModelAdd and ModelSubtract, in tests). */
    static MergePlan plan(MergeRecipe recipe, MergeModel a, MergeModel b, MergeModel c, DoubleFunction<WeightOp.Computed> blend) {
        requireModelC(recipe, c);
        ModelFamily family = FamilyProbe.of("model A", a);
        requireFamily(a, family, "model B", b);
        if (c != null) {
            requireFamily(a, family, "model C", c);
        }
        return new MergePlanner(recipe, a, b, c, blend).run(family);
    }

    private MergePlan run(ModelFamily family) {
        for (ModelComponent component : ModelComponent.values()) {
            if (recipe.rule(component) instanceof ComponentRule.Copy(ComponentRule.Source s) && s == ComponentRule.Source.B
                    && b.weights().keys().stream().noneMatch(component::contains)) {
                throw new IncompatibleModelsException(component.id() + ": copy from model B asked, but model B (" + b.name()
                        + ") has no " + component.displayName() + " weights (" + String.join("*, ", component.prefixes()) + "*)");
            }
        }
        for (String key : a.weights().keys()) {
            steps.add(step(key, a.weights().info(key).orElseThrow()));
        }
        if (!mismatches.isEmpty()) {
            String more = mismatches.size() > 1 ? "; and " + (mismatches.size() - 1) + " more tensors differ" : "";
            throw new IncompatibleModelsException("cannot merge " + a.name() + " and " + b.name() + ": " + mismatches.getFirst() + more);
        }
        List<String> warnings = new ArrayList<>();
        missing.forEach((what, keys) -> warnings.add(what + " lacks " + keys.size() + " of model A's weights, kept from model A: "
                + named(keys)));
        surplus("model B", b, warnings);
        if (c != null) {
            surplus("model C", c, warnings);
        }
        return new MergePlan(recipe, family, steps, keptFromA, warnings);
    }

    private MergePlan.Step step(String key, TensorInfo infoA) {
        Optional<ModelComponent> component = ModelComponent.of(key);
        if (component.isEmpty()) {
            return new MergePlan.Step(key, WeightOp.Copy.FROM_A, infoA);
        }
        return switch (recipe.rule(component.get())) {
            case ComponentRule.Copy(ComponentRule.Source s) when s == ComponentRule.Source.A ->
                    new MergePlan.Step(key, WeightOp.Copy.FROM_A, infoA);
            case ComponentRule.Copy copyB -> {
                Optional<TensorInfo> infoB = comparable("model B", b, component.get(), infoA, false);
                yield infoB.map(i -> new MergePlan.Step(key, WeightOp.Copy.FROM_B, i))
                        .orElseGet(() -> new MergePlan.Step(key, WeightOp.Copy.FROM_A, infoA));
            }
            case ComponentRule.Blend(double amount) -> {
                if (!infoA.dtype().isFloatingPoint()) {
                    yield new MergePlan.Step(key, WeightOp.Copy.FROM_A, infoA);
                }
                WeightOp.Computed op = blend.apply(amount);
                boolean readable = comparable("model B", b, component.get(), infoA, true).isPresent()
                        && (!op.usesC() || comparable("model C", c, component.get(), infoA, true).isPresent());
                yield new MergePlan.Step(key, readable ? op : WeightOp.Copy.FROM_A, infoA);
            }
        };
    }

    /** The other model's tensor for {@code infoA}'s key when it is there with the same shape; records why not otherwise. */
    private Optional<TensorInfo> comparable(String role, MergeModel other, ModelComponent component, TensorInfo infoA,
            boolean floating) {
        Optional<TensorInfo> info = other.weights().info(infoA.name());
        if (info.isEmpty()) {
            keptFromA.add(infoA.name());
            missing.computeIfAbsent(role + " (" + other.name() + ") " + component.displayName(), k -> new ArrayList<>())
                    .add(infoA.name());
            return Optional.empty();
        }
        TensorInfo o = info.get();
        if (!o.shape().equals(infoA.shape())) {
            mismatches.add("tensor " + infoA.name() + " has shape " + infoA.shape() + " in model A (" + a.name() + ") but "
                    + o.shape() + " in " + role + " (" + other.name() + ") (expected: the same shape)");
            return Optional.empty();
        }
        if (floating && !o.dtype().isFloatingPoint()) {
            mismatches.add("tensor " + infoA.name() + " is " + infoA.dtype() + " in model A (" + a.name() + ") but " + o.dtype()
                    + " in " + role + " (" + other.name() + ") (expected: floating point in both, to blend them)");
            return Optional.empty();
        }
        return info;
    }

    /** Keys the other model has in a component the merge reads from it, which the output (model A's keys) leaves out. */
    private void surplus(String role, MergeModel other, List<String> warnings) {
        Set<String> inA = new HashSet<>(a.weights().keys());
        for (ModelComponent component : ModelComponent.values()) {
            ComponentRule rule = recipe.rule(component);
            boolean read = rule instanceof ComponentRule.Blend
                    || (role.equals("model B") && rule instanceof ComponentRule.Copy(ComponentRule.Source s) && s == ComponentRule.Source.B);
            if (!read) {
                continue;
            }
            List<String> extra = other.weights().keys().stream().filter(component::contains).filter(k -> !inA.contains(k)).toList();
            if (!extra.isEmpty()) {
                warnings.add(role + " (" + other.name() + ") has " + extra.size() + " " + component.displayName()
                        + " weights model A lacks, left out of the merge: " + named(extra));
            }
        }
    }

    private static void requireModelC(MergeRecipe recipe, MergeModel c) {
        if (recipe.usesModelC() && c == null) {
            throw new IllegalArgumentException("model C: none given (expected: the base model B was trained from; "
                    + MergeMode.ADD_DIFFERENCE.id() + " adds B − C to A)");
        }
        if (!recipe.usesModelC() && c != null) {
            throw new IllegalArgumentException("model C: " + c.name() + " given, but a " + recipe.mode().id()
                    + " merge that blends " + (recipe.blendsAnything() ? "with A and B" : "nothing") + " does not use it (expected: none)");
        }
    }

    private static void requireFamily(MergeModel a, ModelFamily family, String role, MergeModel other) {
        ModelFamily f = FamilyProbe.of(role, other);
        if (f != family) {
            throw new IncompatibleModelsException("cannot merge models of different families: model A (" + a.name() + ") is "
                    + family.displayName()
                    + ", " + role + " (" + other.name() + ") is " + f.displayName());
        }
    }

    private static String named(List<String> keys) {
        List<String> shown = keys.subList(0, Math.min(NAMED_IN_MESSAGE, keys.size()));
        return String.join(", ", shown) + (keys.size() > shown.size() ? " and " + (keys.size() - shown.size()) + " more" : "");
    }
}
