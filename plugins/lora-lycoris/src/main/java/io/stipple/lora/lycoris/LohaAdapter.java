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

/**
 * LyCORIS LoHa: the Hadamard product of two low-rank products, {@code hada_w1_a}/{@code hada_w1_b}
 * and {@code hada_w2_a}/{@code hada_w2_b}, with optional Tucker cores {@code hada_t1}/{@code hada_t2}
 * for convolutions, {@code .alpha} and {@code .dora_scale}.
 */
@Extension
public final class LohaAdapter implements LoraAdapter {

    @Override
    public String name() {
        return "loha";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        for (String stem : StemScan.stems(index, keyMap, taken, List.of(".hada_w1_a"))) {
            String w1a = stem + ".hada_w1_a";
            String w1b = file.require(stem + ".hada_w1_b", w1a);
            String w2a = file.require(stem + ".hada_w2_a", w1a);
            String w2b = file.require(stem + ".hada_w2_b", w1a);
            String t1 = null;
            String t2 = null;
            if (file.has(stem + ".hada_t1")) {
                t1 = stem + ".hada_t1";
                t2 = file.require(stem + ".hada_t2", t1);
            }
            out.add(new HadamardPatch(stem, keyMap.target(stem).orElseThrow(), file.sourceKeys(stem, w1a, w1b, w2a, w2b, t1, t2),
                    file, w1a, w1b, w2a, w2b, t1, t2, file.alpha(stem)));
        }
        return out;
    }
}
