package io.stipple.lora.lycoris;

import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A LoRA "file" held in memory, for adapter tests: float32 or float16 tensors in insertion order. */
final class MemoryTensorIndex implements TensorIndex {
    private final Map<String, TensorInfo> infos = new LinkedHashMap<>();
    private final Map<String, MemorySegment> data = new LinkedHashMap<>();

    MemoryTensorIndex put(String name, float[] values, int... shape) {
        return put(name, DType.F32, values, shape);
    }

    MemoryTensorIndex put(String name, DType dtype, float[] values, int... shape) {
        Shape s = Shape.of(shape);
        if (s.numel() != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + s);
        }
        MemorySegment seg = Arena.ofAuto().allocate(values.length * (long) dtype.byteSize());
        for (int i = 0; i < values.length; i++) {
            switch (dtype) {
                case F32 -> seg.setAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i, values[i]);
                case F16 -> seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(values[i]));
                default -> throw new IllegalArgumentException("test index writes F32 or F16, not " + dtype);
            }
        }
        infos.put(name, new TensorInfo(name, dtype, s));
        data.put(name, seg);
        return this;
    }

    /** A tensor of {@code shape} with deterministic, varied values (seeded). */
    MemoryTensorIndex random(String name, long seed, int... shape) {
        return put(name, TestData.values(seed, (int) Shape.of(shape).numel()), shape);
    }

    float[] values(String name) {
        MemorySegment seg = data.get(name);
        TensorInfo info = infos.get(name);
        float[] out = new float[(int) info.shape().numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = info.dtype() == DType.F16 ? Float.float16ToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i))
                    : seg.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        }
        return out;
    }

    @Override
    public Path file() {
        return Path.of("memory.safetensors");
    }

    @Override
    public String format() {
        return "memory";
    }

    @Override
    public List<TensorInfo> tensors() {
        return new ArrayList<>(infos.values());
    }

    @Override
    public Optional<TensorInfo> info(String name) {
        return Optional.ofNullable(infos.get(name));
    }

    @Override
    public MemorySegment bytes(String name) {
        MemorySegment seg = data.get(name);
        if (seg == null) {
            throw new IllegalArgumentException("no tensor " + name);
        }
        return seg;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() {}
}
