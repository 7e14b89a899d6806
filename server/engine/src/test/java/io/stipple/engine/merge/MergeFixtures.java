package io.stipple.engine.merge;

import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Input files for the merge tests: golden checkpoints copied to a temporary folder, and small hand-made ones. */
final class MergeFixtures {
    static final String SD15 = "models/sd15_tiny.safetensors";
    /** A second tiny SD1.5 UNet, UNet keys only. */
    static final String SD15_B = "models/sd15_tiny_b.safetensors";
    static final String SDXL = "models/sdxl_tiny.safetensors";
    static final String UNET = "model.diffusion_model.";
    static final SafetensorsFormat FORMAT = new SafetensorsFormat();

    private MergeFixtures() {}

    /** A copy of a golden file in {@code dir}, so no test can touch the originals. */
    static Path copy(String golden, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(Path.of(golden).getFileName());
        return Files.copy(Golden.path(golden), target);
    }

    static TensorIndex open(Path file) {
        try {
            return FORMAT.open(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A safetensors file with {@code entries}. */
    static Path write(Path file, List<TensorEntry> entries) throws IOException {
        FORMAT.write(file, entries, Map.of());
        return file;
    }

    /** {@code index}'s tensors whose names pass {@code keep}, as stored. */
    static List<TensorEntry> entries(TensorIndex index, Predicate<String> keep) {
        return index.tensors().stream().filter(t -> keep.test(t.name()))
                .map(t -> new TensorEntry(t, () -> index.bytes(t.name()))).toList();
    }

    static TensorEntry f32(String name, Shape shape, float[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[values.length * 4]);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values.length);
        return new TensorEntry(new TensorInfo(name, DType.F32, shape), () -> bytes);
    }

    static TensorEntry i64(String name, long[] values) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[values.length * 8]);
        MemorySegment.copy(values, 0, bytes, ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values.length);
        return new TensorEntry(new TensorInfo(name, DType.I64, Shape.of(values.length)), () -> bytes);
    }

    /** A tensor's values as float32, whatever its stored type. */
    static float[] floats(TensorIndex index, String key) {
        TensorInfo info = index.info(key).orElseThrow();
        CpuOps ops = new CpuOps();
        return ops.toArray(ops.fromBytes(index.bytes(key), info.dtype(), info.shape()));
    }

    static boolean sameBytes(TensorIndex x, TensorIndex y, String key) {
        return x.bytes(key).mismatch(y.bytes(key)) == -1;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(d.digest(Files.readAllBytes(file)));
    }

    /** The names in {@code dir}, sorted. */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
