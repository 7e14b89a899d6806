package io.stipple.format.ckpt;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A checkpoint read and checked: its tensors in the file's order, ready to hand out bytes. */
record ParsedCheckpoint(Map<String, TensorPlan> plans, Map<String, String> metadata) {

    /**
     * Checks every tensor of {@code layout} against the bytes {@code storages} finds for its
     * storage (each storage looked up once, however many tensors share it).
     */
    static ParsedCheckpoint assemble(StateDictLayout.Result layout, Function<StorageRef, MemorySegment> storages,
            boolean bigEndian) {
        Map<StorageRef, MemorySegment> found = new LinkedHashMap<>();
        Map<String, TensorPlan> plans = new LinkedHashMap<>();
        for (var e : layout.tensors().entrySet()) {
            TensorRef t = e.getValue();
            MemorySegment bytes = found.computeIfAbsent(t.storage(), storages);
            plans.put(e.getKey(), TensorPlan.of(e.getKey(), t, bytes, bigEndian));
        }
        return new ParsedCheckpoint(plans, layout.metadata());
    }
}
