package io.stipple.engine.lora;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.WeightPatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A LoRA file read against one model: its patches by checkpoint weight (in the file's order), and
 * the keys that patch nothing (ComfyUI's "lora key not loaded"). The patches read the file's
 * tensors when a weight is first computed, so the LoRA holds its file open until it is closed.
 *
 * @param name the LoRA's name, for messages
 * @param file the opened LoRA file, which this LoRA owns
 * @param patches checkpoint weight name -> its patches
 * @param unmatchedKeys the file's keys no patch uses, in file order
 */
public record LoadedLora(String name, TensorIndex file, Map<String, List<WeightPatch>> patches, List<String> unmatchedKeys)
        implements AutoCloseable {
    /** How many unmatched keys a warning names before it only counts. */
    static final int NAMED_IN_WARNING = 5;

    public LoadedLora {
        patches = Map.copyOf(patches);
        unmatchedKeys = List.copyOf(unmatchedKeys);
    }

    /** "lora key not loaded: 3 keys of x.safetensors (a, b, c)", or empty when every key is used. */
    public Optional<String> warning() {
        if (unmatchedKeys.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = unmatchedKeys.subList(0, Math.min(NAMED_IN_WARNING, unmatchedKeys.size()));
        String more = unmatchedKeys.size() > named.size() ? ", and " + (unmatchedKeys.size() - named.size()) + " more" : "";
        return Optional.of("lora key not loaded: " + unmatchedKeys.size() + (unmatchedKeys.size() == 1 ? " key" : " keys") + " of "
                + name + " (" + String.join(", ", named) + more + ")");
    }

    /** Closes the LoRA file; weights already computed from it stay valid, others can no longer be. */
    @Override
    public void close() {
        file.close();
    }
}
