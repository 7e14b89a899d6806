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
 * Whole-tensor patches, as ComfyUI's load_lora reads them after the adapters: differences
 * {@code .diff} (and LyCORIS' norm layers' {@code .w_norm}) for the weight, {@code .diff_b} (and
 * {@code .b_norm}, read only beside a {@code .w_norm}) for the bias beside it; and
 * {@code .set_weight}, which replaces the weight.
 */
@Extension
public final class DiffAdapter implements LoraAdapter {

    /** A key suffix: whether it patches the bias, and the key it is read only beside (ComfyUI's b_norm needs w_norm). */
    private record Kind(String suffix, boolean bias, String needs) {}

    private static final List<Kind> KINDS = List.of(new Kind(".w_norm", false, null), new Kind(".b_norm", true, ".w_norm"),
            new Kind(".diff", false, null), new Kind(".diff_b", true, null), new Kind(".set_weight", false, null));

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
                if (!file.has(key) || taken.contains(key) || kind.needs() != null && !file.has(stem + kind.needs())) {
                    continue;
                }
                Optional<LoraKeyMap.Target> target = kind.bias() ? weight.bias() : Optional.of(weight);
                if (kind.suffix().equals(".set_weight")) {
                    out.add(new SetPatch(key, weight, file));
                } else {
                    target.ifPresent(t -> out.add(new DiffPatch(key, t, file)));
                }
            }
        }
        return out;
    }
}
