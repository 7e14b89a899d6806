package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pf4j.Extension;

/** LyCORIS GLoRA: {@code .a1.weight}, {@code .a2.weight}, {@code .b1.weight}, {@code .b2.weight}, {@code .alpha}, {@code .dora_scale}. */
@Extension
public final class GloraAdapter implements LoraAdapter {

    @Override
    public String name() {
        return "glora";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        for (String stem : StemScan.stems(index, keyMap, taken, List.of(".a1.weight"))) {
            String a1 = stem + ".a1.weight";
            String a2 = file.require(stem + ".a2.weight", a1);
            String b1 = file.require(stem + ".b1.weight", a1);
            String b2 = file.require(stem + ".b2.weight", a1);
            for (String k : List.of(a1, a2, b1, b2)) {
                if (file.shape(k).rank() < 2) {
                    throw new IllegalArgumentException(k + ": shape " + file.shape(k) + " (expected: a matrix or kernel)");
                }
            }
            out.add(new GloraPatch(stem, keyMap.target(stem).orElseThrow(), file.sourceKeys(stem, a1, a2, b1, b2), file, a1, a2, b1, b2,
                    file.alpha(stem)));
        }
        return out;
    }
}
