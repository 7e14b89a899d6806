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
 * LyCORIS LoKr: the Kronecker product of {@code lokr_w1} and {@code lokr_w2}, either of them given
 * whole or as a low-rank pair ({@code _a}/{@code _b}); {@code .alpha} and {@code .dora_scale}.
 *
 * <p>A module whose {@code lokr_w2} has a Tucker core {@code lokr_t2} gets no patch: ComfyUI's
 * torch.kron fails on the non-contiguous Tucker rebuild, logs an error and leaves that weight
 * unpatched while the rest of the file applies. Stipple gives the same weights, and the module's
 * keys are reported as not loaded, so the warning says what ComfyUI's error log says.
 */
@Extension
public final class LokrAdapter implements LoraAdapter {

    @Override
    public String name() {
        return "lokr";
    }

    @Override
    public List<WeightPatch> patches(TensorIndex index, LoraKeyMap keyMap, Set<String> taken, Ops ops) {
        LoraFile file = new LoraFile(index, ops);
        List<WeightPatch> out = new ArrayList<>();
        // ComfyUI loads a LoKr when any of w1, w2, w1_a or w2_a is there
        for (String stem : StemScan.stems(index, keyMap, taken, List.of(".lokr_w1", ".lokr_w2", ".lokr_w1_a", ".lokr_w2_a"))) {
            String w1 = key(file, stem, ".lokr_w1");
            String w2 = key(file, stem, ".lokr_w2");
            String w1a = key(file, stem, ".lokr_w1_a");
            String w1b = key(file, stem, ".lokr_w1_b");
            String w2a = key(file, stem, ".lokr_w2_a");
            String w2b = key(file, stem, ".lokr_w2_b");
            if (file.has(stem + ".lokr_t2")) {
                continue;
            }
            if (w1 == null && (w1a == null || w1b == null)) {
                throw new IllegalArgumentException(stem + ": LoKr without lokr_w1 or the pair lokr_w1_a/lokr_w1_b");
            }
            if (w2 == null && (w2a == null || w2b == null)) {
                throw new IllegalArgumentException(stem + ": LoKr without lokr_w2 or the pair lokr_w2_a/lokr_w2_b");
            }
            out.add(new KroneckerPatch(stem, keyMap.target(stem).orElseThrow(),
                    file.sourceKeys(stem, w1, w2, w1a, w1b, w2a, w2b), file, w1, w2, w1a, w1b, w2a, w2b, file.alpha(stem)));
        }
        return out;
    }

    private static String key(LoraFile file, String stem, String suffix) {
        return file.has(stem + suffix) ? stem + suffix : null;
    }
}
