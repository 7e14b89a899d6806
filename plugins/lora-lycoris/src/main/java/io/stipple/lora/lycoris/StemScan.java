package io.stipple.lora.lycoris;

import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the stems of a LoRA file's keys that an adapter knows: every key ending in one of its
 * suffixes, less the suffix, that the model's key map knows and that no adapter asked earlier has
 * claimed. ComfyUI walks its key map and probes the file; walking the file gives the same pairs.
 */
final class StemScan {
    private StemScan() {}

    /** Stems in the order of their first key in the file. */
    static Set<String> stems(TensorIndex file, LoraKeyMap keyMap, Set<String> taken, List<String> suffixes) {
        Set<String> stems = new LinkedHashSet<>();
        for (TensorInfo t : file.tensors()) {
            String key = t.name();
            if (taken.contains(key)) {
                continue;
            }
            for (String suffix : suffixes) {
                if (key.endsWith(suffix) && key.length() > suffix.length()) {
                    String stem = key.substring(0, key.length() - suffix.length());
                    if (keyMap.target(stem).isPresent()) {
                        stems.add(stem);
                    }
                }
            }
        }
        return stems;
    }
}
