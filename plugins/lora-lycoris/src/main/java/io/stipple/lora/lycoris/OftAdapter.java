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
 * LyCORIS OFT: {@code .oft_blocks} of three dimensions (n, b, b), with an optional {@code .alpha}
 * constraint. A 4-d {@code .oft_blocks} is BOFT's ({@link BoftAdapter}). ComfyUI reads
 * {@code .rescale} beside the blocks but its OFT never applies it; the key is taken and ignored
 * the same way. {@code .dora_scale} is not read for OFT (reported as not loaded).
 */
@Extension
public final class OftAdapter implements LoraAdapter {

    @Override
    public String name() {
        return "oft";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        for (String stem : StemScan.stems(index, keyMap, taken, List.of(".oft_blocks"))) {
            String blocks = stem + ".oft_blocks";
            if (file.shape(blocks).rank() != 3) {
                continue;
            }
            out.add(new OftPatch(stem, keyMap.target(stem).orElseThrow(), RotationKeys.of(file, stem, blocks), file, blocks,
                    file.alpha(stem).orElse(0)));
        }
        return out;
    }
}
