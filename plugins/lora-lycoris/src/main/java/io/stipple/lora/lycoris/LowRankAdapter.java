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
 * LoRA and LoCon: an up and a down matrix (kohya {@code .lora_up.weight}/{@code .lora_down.weight},
 * optional Tucker {@code .lora_mid.weight}), in every spelling ComfyUI's LoRAAdapter accepts:
 * diffusers' {@code _lora.up.weight}, PEFT's {@code .lora_B.weight}/{@code .lora_A.weight},
 * {@code .lora.up.weight}, Mochi's {@code .lora_B}, transformers' {@code .lora_linear_layer.up.weight}
 * and PEFT's named {@code .lora_B.default.weight}; with {@code .alpha} (default: the rank) and
 * DoRA's {@code .dora_scale}.
 */
@Extension
public final class LowRankAdapter implements LoraAdapter {

    /** A spelling of the up/down pair, in ComfyUI's order of preference. mid is null where the spelling has none. */
    record Spelling(String up, String down, String mid) {}

    static final List<Spelling> SPELLINGS = List.of(
            new Spelling(".lora_up.weight", ".lora_down.weight", ".lora_mid.weight"),
            new Spelling("_lora.up.weight", "_lora.down.weight", null),
            new Spelling(".lora_B.weight", ".lora_A.weight", null),
            new Spelling(".lora.up.weight", ".lora.down.weight", null),
            new Spelling(".lora_B", ".lora_A", null),
            new Spelling(".lora_linear_layer.up.weight", ".lora_linear_layer.down.weight", null),
            new Spelling(".lora_B.default.weight", ".lora_A.default.weight", null));

    @Override
    public String name() {
        return "lora";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        List<String> ups = SPELLINGS.stream().map(Spelling::up).toList();
        for (String stem : StemScan.stems(index, keyMap, taken, ups)) {
            for (Spelling s : SPELLINGS) {
                String up = stem + s.up();
                if (file.has(up) && !taken.contains(up)) {
                    String down = file.require(stem + s.down(), up);
                    String mid = s.mid() != null && file.has(stem + s.mid()) ? stem + s.mid() : null;
                    LoraKeyMap.Target target = keyMap.target(stem).orElseThrow();
                    out.add(new LowRankPatch(stem, target, file.sourceKeys(stem, up, down, mid), file, up, down, mid,
                            file.alpha(stem)));
                    break;
                }
            }
        }
        return out;
    }
}
