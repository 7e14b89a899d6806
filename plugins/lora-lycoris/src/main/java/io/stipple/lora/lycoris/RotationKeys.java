package io.stipple.lora.lycoris;

import java.util.LinkedHashSet;
import java.util.Set;

/** The keys an OFT or BOFT patch reads: the blocks, and the stem's rescale and alpha where present (not dora_scale). */
final class RotationKeys {
    private RotationKeys() {}

    static Set<String> of(LoraFile file, String stem, String blocks) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(blocks);
        for (String k : new String[] {stem + ".rescale", stem + ".alpha"}) {
            if (file.has(k)) {
                keys.add(k);
            }
        }
        return keys;
    }
}
