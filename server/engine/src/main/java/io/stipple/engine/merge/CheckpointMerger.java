package io.stipple.engine.merge;

import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Saves a merge as a new checkpoint, tensor by tensor: each merged tensor is computed when the
 * format's writer asks for it and dropped once written, so two 7 GB SDXL checkpoints merge in
 * memory of the order of their largest tensor. The file appears complete or not at all: it is
 * written under a temporary name in the output folder ({@link MergeTempFile}) and renamed when
 * done; a failure or a cancellation deletes it.
 *
 * <p>Everything that can be refused is refused before the first byte is written: an existing
 * output (unless overwriting was asked), models of different families, tensors of different
 * shapes, a missing model C.
 */
public final class CheckpointMerger {
    /** Types a float32 result can be written as. */
    private static final Set<DType> WRITABLE = Set.of(DType.F64, DType.F32, DType.F16, DType.BF16);

    private final Ops ops;

    public CheckpointMerger(Ops ops) {
        this.ops = ops;
    }

    /**
     * Merges two models (a weighted sum, or a recipe that only copies) into {@code target}.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the output exists and overwriting was not asked
     * @throws IncompatibleModelsException for models of different families or tensors of different shapes
     * @throws IllegalArgumentException for a recipe that needs a model C, an output that is an input, a format that cannot write
     * @throws MergeCancelledException if {@code control} asked to stop
     */
    public MergeResult merge(MergeRecipe recipe, TensorIndex a, TensorIndex b, MergeTarget target, MergeControl control)
            throws IOException {
        return run(recipe, a, b, null, target, control);
    }

    /** An add-difference merge, {@code A + (B − C)·multiplier}, into {@code target}. */
    public MergeResult merge(MergeRecipe recipe, TensorIndex a, TensorIndex b, TensorIndex c, MergeTarget target,
            MergeControl control) throws IOException {
        return run(recipe, a, b, c, target, control);
    }

    /**
     * Deletes what merges that were killed before finishing left in {@code folder} and its
     * sub-folders (their {@code .stipple-merge-*.tmp} and {@code .lock} files); merges still running,
     * here or in another process, are not disturbed. Worth calling on the output folder when a server
     * starts.
     *
     * @return the files deleted
     */
    public static List<Path> deleteStaleTemporaryFiles(Path folder) throws IOException {
        return MergeTempFile.deleteStale(folder);
    }

    private MergeResult run(MergeRecipe recipe, TensorIndex a, TensorIndex b, TensorIndex c, MergeTarget target,
            MergeControl control) throws IOException {
        Path file = target.file().toAbsolutePath().normalize();
        checkTarget(target, file, a, b, c);
        MergePlan plan = MergePlanner.plan(recipe, model(a), model(b), c == null ? null : model(c));
        checkWritable(plan, target.precision());
        Map<String, String> metadata = MergeMetadata.of(recipe, name(a), name(b), c == null ? null : name(c), target.precision());
        List<MergePlan.Step> steps = plan.steps();
        int total = steps.size();
        AtomicBoolean stopped = new AtomicBoolean();
        stopIfCancelled(control, stopped, file, 0, total);
        try (MergeTempFile temp = MergeTempFile.create(file.getParent())) {
            List<TensorEntry> entries = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                MergePlan.Step step = steps.get(i);
                int done = i;
                DType out = target.precision().apply(step.stored().dtype());
                entries.add(new TensorEntry(new TensorInfo(step.key(), out, step.stored().shape()), () -> {
                    stopIfCancelled(control, stopped, file, done, total);
                    control.progress().update(done, total);
                    return bytes(step, out, a, b, c);
                }));
            }
            try {
                target.format().write(temp.path(), entries, metadata);
            } catch (IOException | RuntimeException e) {
                // a writer may wrap the supplier's exception; the cancellation is what the caller must see
                if (stopped.get() && !(e instanceof MergeCancelledException)) {
                    throw new MergeCancelledException("merge into " + file.getFileName() + " cancelled; nothing was written");
                }
                throw e;
            }
            stopIfCancelled(control, stopped, file, total, total);
            long size = Files.size(temp.path());
            String sha256 = Sha256.of(temp.path());
            temp.commit(file, target.overwrite());
            control.progress().update(total, total);
            return new MergeResult(file, size, sha256, total, plan.warnings(), metadata);
        }
    }

    /** The bytes of one output tensor: the source's own when nothing changes, computed in float32 otherwise. */
    private MemorySegment bytes(MergePlan.Step step, DType out, TensorIndex a, TensorIndex b, TensorIndex c) {
        String key = step.key();
        return switch (step.op()) {
            case WeightOp.Copy copy -> {
                MemorySegment stored = (copy == WeightOp.Copy.FROM_A ? a : b).bytes(key);
                if (out == step.stored().dtype()) {
                    yield stored;
                }
                try (Tensor t = ops.fromBytes(stored, step.stored().dtype(), step.stored().shape());
                        Tensor converted = ops.cast(t, out)) {
                    yield ops.toBytes(converted);
                }
            }
            case WeightOp.Computed op -> {
                try (Tensor ta = tensor(a, key);
                        Tensor tb = tensor(b, key);
                        Tensor tc = op.usesC() ? tensor(c, key) : null;
                        Tensor merged = op.apply(ops, ta, tb, tc)) {
                    Tensor converted = ops.cast(merged, out);
                    try {
                        yield ops.toBytes(converted);
                    } finally {
                        if (converted != merged) {
                            converted.close();
                        }
                    }
                }
            }
        };
    }

    private Tensor tensor(TensorIndex index, String key) {
        TensorInfo info = index.info(key).orElseThrow();
        return ops.fromBytes(index.bytes(key), info.dtype(), info.shape());
    }

    private static void checkTarget(MergeTarget target, Path file, TensorIndex a, TensorIndex b, TensorIndex c) throws IOException {
        if (!target.format().canWrite()) {
            throw new IllegalArgumentException("output format: " + target.format().name()
                    + " (expected: a format that can write files, such as safetensors)");
        }
        Path folder = file.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new NoSuchFileException(String.valueOf(folder), null, "output folder does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("output: " + file + " is a folder (expected: a file name)");
        }
        String[] roles = {"model A", "model B", "model C"};
        TensorIndex[] inputs = {a, b, c};
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && Files.exists(file) && Files.isSameFile(file, inputs[i].file())) {
                throw new IllegalArgumentException("output: " + file + " is " + roles[i] + "'s file (expected: a new file)");
            }
        }
        if (Files.exists(file) && !target.overwrite()) {
            throw MergeTempFile.existing(file);
        }
    }

    /** A merged weight is float32; of model A's types only the ones a float32 can be rounded to are kept. */
    private static void checkWritable(MergePlan plan, OutputPrecision precision) {
        for (MergePlan.Step step : plan.steps()) {
            DType out = precision.apply(step.stored().dtype());
            if (step.op() instanceof WeightOp.Computed && !WRITABLE.contains(out)) {
                throw new IllegalArgumentException("tensor " + step.key() + ": model A stores it as " + step.stored().dtype()
                        + ", which a merged weight cannot be written as (expected: precision F16, BF16 or F32)");
            }
        }
    }

    private static void stopIfCancelled(MergeControl control, AtomicBoolean stopped, Path file, int done, int total) {
        if (control.cancelled().getAsBoolean()) {
            stopped.set(true);
            throw new MergeCancelledException("merge into " + file.getFileName() + " cancelled after " + done + " of " + total
                    + " tensors; nothing was written");
        }
    }

    private MergeModel model(TensorIndex index) {
        return new MergeModel(name(index), new CheckpointParameters(index, ops, WeightPolicy.AS_STORED));
    }

    private static String name(TensorIndex index) {
        return index.file().getFileName().toString();
    }
}
