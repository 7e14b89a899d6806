package io.stipple.plugin.api;

import io.stipple.tensor.Ops;
import java.util.List;
import java.util.Set;
import org.pf4j.ExtensionPoint;

/**
 * A LoRA flavour (LoRA/LoCon, LoHa, LoKr, PEFT, ...): recognises its keys in a LoRA file and builds
 * the patch for each model weight they target.
 */
public interface LoraAdapter extends ExtensionPoint {

    /** "lora", "loha", "lokr". */
    String name();

    /**
     * The patches this adapter recognises in {@code file}, skipping keys in {@code taken} (claimed by
     * an adapter asked earlier). Tensors are loaded onto {@code ops} lazily or eagerly, as the
     * adapter prefers.
     */
    List<WeightPatch> patches(TensorIndex file, LoraKeyMap keyMap, Set<String> taken, Ops ops);
}
