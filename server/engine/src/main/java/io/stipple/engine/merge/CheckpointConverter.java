package io.stipple.engine.merge;

import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites a checkpoint in another format (a .ckpt as .safetensors), tensor by tensor, optionally in
 * another floating-point precision: written like a merge, to a temporary file renamed when complete,
 * never over an existing file unless asked.
 */
public final class CheckpointConverter {
    private final Ops ops;

    public CheckpointConverter(Ops ops) {
        this.ops = ops;
    }

    public MergeResult convert(TensorIndex source, MergeTarget target, MergeControl control) throws IOException {
        Path file = target.file().toAbsolutePath().normalize();
        if (file.equals(source.file().toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(file.getFileName() + ": the output is the input (expected: another file)");
        }
        if (!target.overwrite() && Files.exists(file)) {
            throw MergeTempFile.existing(file);
        }
        List<TensorInfo> tensors = source.tensors();
        int total = tensors.size();
        Map<String, String> metadata = new LinkedHashMap<>(source.metadata());
        metadata.put("stipple.converted_from", source.file().getFileName().toString());
        try (MergeTempFile temp = MergeTempFile.create(file.getParent())) {
            List<TensorEntry> entries = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                TensorInfo info = tensors.get(i);
                DType out = target.precision().apply(info.dtype());
                int done = i;
                entries.add(new TensorEntry(new TensorInfo(info.name(), out, info.shape()), () -> {
                    if (control.cancelled().getAsBoolean()) {
                        throw new MergeCancelledException("conversion to " + file.getFileName() + " cancelled; nothing was written");
                    }
                    control.progress().update(done, total);
                    return bytes(source, info, out);
                }));
            }
            target.format().write(temp.path(), entries, metadata);
            long size = Files.size(temp.path());
            String sha256 = Sha256.of(temp.path());
            temp.commit(file, target.overwrite());
            control.progress().update(total, total);
            return new MergeResult(file, size, sha256, total, List.of(), metadata);
        }
    }

    private MemorySegment bytes(TensorIndex source, TensorInfo info, DType out) {
        MemorySegment stored = source.bytes(info.name());
        if (out == info.dtype()) {
            return stored;
        }
        try (Tensor t = ops.fromBytes(stored, info.dtype(), info.shape()); Tensor converted = ops.cast(t, out)) {
            return ops.toBytes(converted);
        }
    }
}
