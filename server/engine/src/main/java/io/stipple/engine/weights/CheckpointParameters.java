package io.stipple.engine.weights;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The weights of one opened checkpoint on one backend. With {@link WeightPolicy#RESIDENT_F32} each
 * weight is converted to float32 once, on first use, and kept; with {@link WeightPolicy#AS_STORED}
 * weights stay in the file's mapping and type, converted each time they are read (less memory,
 * more time: the choice for SDXL on a small machine). A resident weight's mapped pages are dropped
 * from the process's resident set once converted (the page cache may keep them).
 */
public final class CheckpointParameters implements ParameterSource {
    private final TensorIndex index;
    private final Ops ops;
    private final WeightPolicy policy;
    private final ConcurrentHashMap<String, Tensor> resident = new ConcurrentHashMap<>();

    public CheckpointParameters(TensorIndex index, Ops ops, WeightPolicy policy) {
        this.index = index;
        this.ops = ops;
        this.policy = policy;
    }

    public TensorIndex index() {
        return index;
    }

    @Override
    public Optional<Tensor> find(String key) {
        Tensor cached = resident.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<TensorInfo> info = index.info(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        TensorInfo found = info.get();
        if (policy == WeightPolicy.AS_STORED && found.dtype() != DType.I64) {
            // a view of the mapping: the scope reading it may close it, the file stays mapped
            return Optional.of(ops.fromBytes(index.bytes(key), found.dtype(), found.shape()));
        }
        // converted once and kept for the model's life, whichever denoising step first asks
        return Optional.of(resident.computeIfAbsent(key, k -> TensorScope.detached(() -> {
            MemorySegment bytes = index.bytes(k);
            try (Tensor stored = ops.fromBytes(bytes, found.dtype(), found.shape())) {
                Tensor converted = ops.toF32(stored);
                if (bytes.isMapped()) {
                    // the file's pages are read again only if the weight is converted again: let them leave
                    // this process's resident set now, so that a model is not resident twice (f16 and f32)
                    bytes.unload();
                }
                return converted;
            }
        })));
    }

    @Override
    public Optional<TensorInfo> info(String key) {
        return index.info(key);
    }

    @Override
    public List<String> keys() {
        return index.tensors().stream().map(TensorInfo::name).toList();
    }

    /** Forgets converted weights (the next read converts again). */
    public void dropResident() {
        resident.clear();
    }
}
