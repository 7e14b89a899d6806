package io.stipple.engine.lora;

import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraKeyMap.Slice;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's weights with a stack of LoRAs applied: an overlay on the checkpoint's
 * {@link ParameterSource}. A patched weight is computed in float32 from the original weight the
 * first time it is read, applying the patches of each LoRA in order with that LoRA's strength for
 * the weight's component (ComfyUI's calculate_weight), and kept; every other weight is the base's
 * own tensor. Applying or replacing LoRAs is a new overlay on the same base: the checkpoint is never
 * read again. A LoRA at strength 0 for a component contributes nothing to it, except what replaces a
 * weight whatever the strength ({@code .set_weight}): ComfyUI applies that at strength 0 too, unless
 * both strengths are 0 (its LoraLoader node then skips the LoRA).
 */
public final class PatchedParameters implements ParameterSource {
    private record Step(WeightPatch patch, double strength) {}

    private final ParameterSource base;
    private final List<AppliedLora> loras;
    private final Map<String, List<Step>> steps;
    private final ConcurrentHashMap<String, Tensor> patched = new ConcurrentHashMap<>();

    public PatchedParameters(ParameterSource base, List<AppliedLora> loras) {
        this.base = base;
        this.loras = List.copyOf(loras);
        Map<String, List<Step>> s = new LinkedHashMap<>();
        for (AppliedLora lora : this.loras) {
            if (lora.strengthModel() == 0.0 && lora.strengthClip() == 0.0) {
                continue;
            }
            for (var e : lora.lora().patches().entrySet()) {
                for (WeightPatch p : e.getValue()) {
                    double strength = lora.strength(p.target().component());
                    if (strength != 0.0 || p.appliesAtZeroStrength()) {
                        s.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new Step(p, strength));
                    }
                }
            }
        }
        this.steps = Map.copyOf(s);
    }

    public ParameterSource base() {
        return base;
    }

    public List<AppliedLora> loras() {
        return loras;
    }

    /** Whether a LoRA changes this weight. */
    public boolean isPatched(String key) {
        return steps.containsKey(key);
    }

    @Override
    public Optional<Tensor> find(String key) {
        List<Step> s = steps.get(key);
        if (s == null) {
            return base.find(key);
        }
        Tensor cached = patched.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        // kept for the model's life, whichever denoising step first asks
        return Optional.of(patched.computeIfAbsent(key, k -> TensorScope.detached(() -> compute(k, s))));
    }

    @Override
    public Optional<TensorInfo> info(String key) {
        Optional<TensorInfo> info = base.info(key);
        if (info.isPresent() && steps.containsKey(key)) {
            return Optional.of(new TensorInfo(key, DType.F32, info.get().shape()));
        }
        return info;
    }

    @Override
    public List<String> keys() {
        return base.keys();
    }

    /** Forgets the computed weights (they are computed again when next read). */
    public void dropPatched() {
        patched.clear();
    }

    private Tensor compute(String key, List<Step> steps) {
        Tensor original = base.get(key);
        Ops ops = original.ops();
        try (TensorScope scope = ops.scope()) {
            Tensor w = ops.toF32(original);
            for (Step step : steps) {
                Slice slice = step.patch().target().slice();
                if (slice == null) {
                    w = step.patch().apply(w, step.strength());
                } else {
                    Tensor part = ops.narrow(w, slice.dim(), slice.start(), slice.length());
                    w = splice(ops, w, slice, step.patch().apply(part, step.strength()));
                }
            }
            return scope.keep(w);
        }
    }

    /** {@code w} with the slice's rows replaced by {@code part}. */
    private static Tensor splice(Ops ops, Tensor w, Slice slice, Tensor part) {
        int end = slice.start() + slice.length();
        int size = w.dim(slice.dim());
        List<Tensor> pieces = new ArrayList<>(3);
        if (slice.start() > 0) {
            pieces.add(ops.narrow(w, slice.dim(), 0, slice.start()));
        }
        pieces.add(part);
        if (end < size) {
            pieces.add(ops.narrow(w, slice.dim(), end, size - end));
        }
        return pieces.size() == 1 ? part : ops.concat(slice.dim(), pieces.toArray(Tensor[]::new));
    }
}
