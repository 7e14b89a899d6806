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
 * LyCORIS BOFT: {@code .oft_blocks} of four dimensions (stages, n, b, b), {@code .rescale} and
 * {@code .alpha}. Without {@code .alpha} ComfyUI's BOFT fails (it compares None with 0) and leaves
 * the weight unpatched while the rest of the file applies; Stipple does the same: no patch, and the
 * module's keys are reported as not loaded. {@code .dora_scale} is not read for BOFT.
 */
@Extension
public final class BoftAdapter implements LoraAdapter {

    @Override
    public String name() {
        return "boft";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        for (String stem : StemScan.stems(index, keyMap, taken, List.of(".oft_blocks"))) {
            String blocks = stem + ".oft_blocks";
            var alpha = file.alpha(stem);
            if (file.shape(blocks).rank() != 4 || alpha.isEmpty()) {
                continue;
            }
            String rescale = file.has(stem + ".rescale") ? stem + ".rescale" : null;
            out.add(new BoftPatch(stem, keyMap.target(stem).orElseThrow(), RotationKeys.of(file, stem, blocks), file, blocks, rescale,
                    alpha.getAsDouble()));
        }
        return out;
    }
}
