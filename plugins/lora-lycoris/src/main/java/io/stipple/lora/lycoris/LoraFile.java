package io.stipple.lora.lycoris;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import java.util.LinkedHashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A LoRA file as the adapters read it: declared shapes without reading data, and tensors converted
 * to float32 on the backend only when a patch is computed (ComfyUI casts every LoRA tensor to its
 * float32 intermediate type the same way).
 */
final class LoraFile {
    private final TensorIndex index;
    private final Ops ops;

    LoraFile(TensorIndex index, Ops ops) {
        this.index = index;
        this.ops = ops;
    }

    Ops ops() {
        return ops;
    }

    boolean has(String key) {
        return index.contains(key);
    }

    Shape shape(String key) {
        return info(key).shape();
    }

    /** The tensor as float32 on the backend. */
    Tensor load(String key) {
        TensorInfo info = info(key);
        if (!info.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(key + ": dtype " + info.dtype() + " (expected: a floating-point tensor)");
        }
        return ops.toF32(ops.fromBytes(index.bytes(key), info.dtype(), info.shape()));
    }

    /** {@code stem.alpha}, as ComfyUI's {@code lora[alpha_name].item()}: a one-element tensor read as a double. */
    OptionalDouble alpha(String stem) {
        String key = stem + ".alpha";
        if (!has(key)) {
            return OptionalDouble.empty();
        }
        Shape s = shape(key);
        if (s.numel() != 1) {
            throw new IllegalArgumentException(key + ": shape " + s + " (expected: a single value)");
        }
        return OptionalDouble.of(ops.toArray(load(key))[0]);
    }

    /** The keys of a patch: those given, plus the stem's alpha and dora_scale where the file has them. */
    Set<String> sourceKeys(String stem, String... keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            if (k != null) {
                out.add(k);
            }
        }
        for (String extra : new String[] {stem + ".alpha", stem + ".dora_scale"}) {
            if (has(extra)) {
                out.add(extra);
            }
        }
        return out;
    }

    /** The stem's dora_scale key, or null. */
    String doraScale(String stem) {
        String key = stem + ".dora_scale";
        return has(key) ? key : null;
    }

    /** A key the patch needs, or an exception naming it and the key that asked for it. */
    String require(String key, String neededBy) {
        if (!has(key)) {
            throw new IllegalArgumentException(neededBy + " has no partner " + key + " in the LoRA file");
        }
        return key;
    }

    private TensorInfo info(String key) {
        return index.info(key).orElseThrow(() -> new IllegalArgumentException("no tensor " + key + " in the LoRA file"));
    }
}
