package io.stipple.engine.merge;

import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A merge on the fly: the merged model's weights, computed lazily, each the first time it is read,
 * and kept (ComfyUI's ModelMergeSimple/ModelMergeAdd patches, applied when the model is loaded),
 * so a server can sample with a merged model without writing a file. Copied weights are read
 * through to their source; only computed ones are held here, as float32.
 *
 * <p>Give it sources that do not keep their own float32 copies ({@link
 * io.stipple.engine.weights.WeightPolicy#AS_STORED}), or the inputs are held twice.
 */
public final class MergedParameters implements ParameterSource {
    private final MergePlan plan;
    private final ParameterSource a;
    private final ParameterSource b;
    private final ParameterSource c;
    private final Ops ops;
    private final ConcurrentHashMap<String, Tensor> merged = new ConcurrentHashMap<>();

    private MergedParameters(MergePlan plan, ParameterSource a, ParameterSource b, ParameterSource c, Ops ops) {
        this.plan = plan;
        this.a = a;
        this.b = b;
        this.c = c;
        this.ops = ops;
    }

    /**
     * A merge of two models (a weighted sum, or a recipe that only copies).
     *
     * @throws IncompatibleModelsException for models of different families or tensors of different shapes
     * @throws IllegalArgumentException if the recipe needs a model C
     */
    public static MergedParameters create(MergeRecipe recipe, MergeModel a, MergeModel b, Ops ops) {
        return of(MergePlanner.plan(recipe, a, b, null), a, b, null, ops);
    }

    /** An add-difference merge: {@code A + (B − C)·multiplier}. */
    public static MergedParameters create(MergeRecipe recipe, MergeModel a, MergeModel b, MergeModel c, Ops ops) {
        return of(MergePlanner.plan(recipe, a, b, c), a, b, c, ops);
    }

    static MergedParameters of(MergePlan plan, MergeModel a, MergeModel b, MergeModel c, Ops ops) {
        return new MergedParameters(plan, a.weights(), b.weights(), c == null ? null : c.weights(), ops);
    }

    public MergePlan plan() {
        return plan;
    }

    @Override
    public Optional<Tensor> find(String key) {
        return plan.step(key).flatMap(step -> switch (step.op()) {
            case WeightOp.Copy copy -> source(copy).find(key);
            // kept for the model's life, whichever denoising step first asks
            case WeightOp.Computed op -> Optional.of(merged.computeIfAbsent(key, k -> TensorScope.detached(() -> compute(k, op))));
        });
    }

    @Override
    public Optional<TensorInfo> info(String key) {
        return plan.step(key).flatMap(step -> switch (step.op()) {
            case WeightOp.Copy copy -> source(copy).info(key);
            case WeightOp.Computed op -> Optional.of(new TensorInfo(key, DType.F32, step.stored().shape()));
        });
    }

    @Override
    public List<String> keys() {
        return plan.keys();
    }

    /** Forgets the computed weights (the next read computes them again). */
    public void dropMerged() {
        merged.clear();
    }

    private Tensor compute(String key, WeightOp.Computed op) {
        try (TensorScope scope = ops.scope()) {
            return scope.keep(op.apply(ops, a.get(key), b.get(key), op.usesC() ? c.get(key) : null));
        }
    }

    private ParameterSource source(WeightOp.Copy copy) {
        return copy == WeightOp.Copy.FROM_A ? a : b;
    }
}
