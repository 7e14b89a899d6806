package io.stipple.engine.lora;

import io.stipple.engine.detect.ModelArchitecture;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.plugin.api.LoraAdapter;
import io.stipple.plugin.api.LoraKeyMap;
import io.stipple.plugin.api.LoraKeyMap.Slice;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.plugin.api.WeightPatch;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads LoRA files against one model: asks each adapter in turn for the patches it recognises
 * (keys claimed by an earlier adapter are not offered again), checks every patch against the
 * declared shape of the weight it names, and refuses a LoRA that does not fit the model. Keys that
 * patch nothing are reported, as ComfyUI logs "lora key not loaded".
 */
public final class LoraLoader {
    private static final System.Logger LOG = System.getLogger(LoraLoader.class.getName());

    private final List<LoraAdapter> adapters;
    private final Ops ops;
    private final ModelArchitecture architecture;
    private final ParameterSource model;
    private final LoraKeyMap keyMap;

    /**
     * @param adapters the installed adapters; they are asked in ComfyUI's order (lora, loha, lokr,
     *     then any others, whole-tensor diffs last), whatever order they are given in
     */
    public LoraLoader(List<LoraAdapter> adapters, Ops ops, ModelArchitecture architecture, ParameterSource model) {
        if (adapters.isEmpty()) {
            throw new IllegalArgumentException("no LoRA adapters: is the lora-lycoris plugin installed?");
        }
        this.adapters = adapters.stream().sorted(Comparator.comparingInt(LoraLoader::rank)).toList();
        this.ops = ops;
        this.architecture = architecture;
        this.model = model;
        this.keyMap = LoraKeyMaps.of(architecture, model);
    }

    public LoraKeyMap keyMap() {
        return keyMap;
    }

    /**
     * Reads {@code file} (opened with a checkpoint format) as a LoRA for this model. The result owns
     * the file: close it when the LoRA is no longer used; a refused file is closed here.
     *
     * @throws LoraMismatchException when no key of the file names a weight of this model, or a patch
     *     does not fit the weight it names
     * @throws IllegalArgumentException when the file is malformed (a factor without its partner,
     *     factors that do not multiply); the message names the LoRA and the key
     */
    public LoadedLora load(String name, TensorIndex file) {
        try {
            return read(name, file);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private LoadedLora read(String name, TensorIndex file) {
        if (architecture.textEncoders().size() == 1 && namesSecondTextEncoder(file)) {
            throw new LoraMismatchException("LoRA " + name + " has keys for a second text encoder (lora_te2_*, text_encoder_2.*), "
                    + "which this " + architecture.family().displayName() + " model does not have; it looks like a LoRA for "
                    + "another model family (SDXL)");
        }
        Set<String> taken = new HashSet<>();
        List<WeightPatch> patches = new ArrayList<>();
        for (LoraAdapter adapter : adapters) {
            List<WeightPatch> found;
            try {
                found = adapter.patches(file, keyMap, Collections.unmodifiableSet(taken), ops);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("LoRA " + name + " (" + adapter.name() + "): " + e.getMessage(), e);
            }
            for (WeightPatch p : found) {
                taken.addAll(p.sourceKeys());
                patches.add(p);
            }
        }
        Set<String> unused = new HashSet<>();
        List<String> misfits = new ArrayList<>();
        Map<String, List<WeightPatch>> byWeight = new LinkedHashMap<>();
        for (WeightPatch p : patches) {
            Optional<TensorInfo> info = model.info(p.target().weight());
            if (info.isEmpty()) {
                unused.addAll(p.sourceKeys()); // ComfyUI: "NOT LOADED", e.g. a bias the layer does not have
                continue;
            }
            try {
                p.checkFits(targetShape(p.target(), info.get().shape()));
            } catch (IllegalArgumentException e) {
                misfits.add(e.getMessage());
                continue;
            }
            byWeight.computeIfAbsent(p.target().weight(), k -> new ArrayList<>()).add(p);
        }
        List<String> unmatched = new ArrayList<>();
        for (TensorInfo t : file.tensors()) {
            if (!taken.contains(t.name()) || unused.contains(t.name())) {
                unmatched.add(t.name());
            }
        }
        if (!misfits.isEmpty()) {
            throw new LoraMismatchException("LoRA " + name + " does not fit this " + architecture.family().displayName() + " model: "
                    + misfits.getFirst() + (misfits.size() > 1 ? " (and " + (misfits.size() - 1) + " more)" : "")
                    + "; it looks like a LoRA for another model family");
        }
        if (byWeight.isEmpty()) {
            throw new LoraMismatchException("LoRA " + name + ": none of its " + file.tensors().size() + " keys ("
                    + String.join(", ", unmatched.subList(0, Math.min(3, unmatched.size()))) + (unmatched.size() > 3 ? ", ..." : "")
                    + ") names a weight of this " + architecture.family().displayName()
                    + " model; it looks like a LoRA for another model family");
        }
        LoadedLora lora = new LoadedLora(name, file, byWeight, unmatched);
        lora.warning().ifPresent(w -> LOG.log(System.Logger.Level.WARNING, w));
        return lora;
    }

    /** The shape a patch sees: the weight's, or its slice's. */
    static Shape targetShape(LoraKeyMap.Target target, Shape weight) {
        Slice s = target.slice();
        if (s == null) {
            return weight;
        }
        if (s.dim() >= weight.rank() || s.start() + s.length() > weight.dim(s.dim())) {
            throw new IllegalStateException(target.describe() + " is outside the weight's shape " + weight);
        }
        return weight.with(s.dim(), s.length());
    }

    private static boolean namesSecondTextEncoder(TensorIndex file) {
        return file.tensors().stream().map(TensorInfo::name).anyMatch(k -> k.startsWith("lora_te2_") || k.startsWith("text_encoder_2."));
    }

    /** ComfyUI tries LoRA, LoHa, LoKr (then GLoRA, BOFT, OFT) and reads whole-tensor diffs after them. */
    private static int rank(LoraAdapter adapter) {
        return switch (adapter.name()) {
            case "lora" -> 0;
            case "loha" -> 1;
            case "lokr" -> 2;
            case "diff" -> 4;
            default -> 3;
        };
    }
}
