package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Whole-tensor differences, as ComfyUI's load_lora reads them: {@code .diff} (and LyCORIS' norm
 * layers' {@code .w_norm}) for the weight, {@code .diff_b} (and {@code .b_norm}) for the bias beside it.
 */
@Extension
public final class DiffAdapter implements LoraAdapter {

    private record Kind(String suffix, boolean bias) {}

    private static final List<Kind> KINDS = List.of(
            new Kind(".w_norm", false), new Kind(".b_norm", true), new Kind(".diff", false), new Kind(".diff_b", true));

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        List<String> suffixes = KINDS.stream().map(Kind::suffix).toList();
        for (String stem : StemScan.stems(index, keyMap, taken, suffixes)) {
            LoraKeyMap.Target weight = keyMap.target(stem).orElseThrow();
            for (Kind kind : KINDS) {
                String key = stem + kind.suffix();
                if (!file.has(key) || taken.contains(key)) {
                    continue;
                }
                Optional<LoraKeyMap.Target> target = kind.bias() ? weight.bias() : Optional.of(weight);
                target.ifPresent(t -> out.add(new DiffPatch(key, t, file)));
            }
        }
        return out;
    }
}
