package io.stipple.engine.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.pipeline.GenerationListener;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.Pipeline;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.format.ckpt.CkptFormat;
import io.stipple.format.safetensors.SafetensorsFormat;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.Golden;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .ckpt copy of the tiny model: the same tensors, the same image, and converted to safetensors. */
class CheckpointConverterTest {
    private final CpuOps ops = new CpuOps();

    @TempDir
    Path dir;

    @Test
    void theCkptGeneratesTheSameImageAsTheSafetensors() throws Exception {
        try (TensorIndex ckpt = new CkptFormat().open(Golden.path("models/sd15_tiny.ckpt"));
                TensorIndex st = TestModels.open("models/sd15_tiny.safetensors")) {
            float[] a = latent(ckpt);
            float[] b = latent(st);
            assertArrayEquals(b, a, "the .ckpt and .safetensors copies give different latents");
        }
    }

    private float[] latent(TensorIndex index) {
        var model = ModelLoader.load("m", new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
        var request = new GenerationRequest("a lighthouse at dusk", "fog", 64, 64, 1, 77, 4, 7f, "euler_ancestral", "karras",
                1.0, 0, null, null, 0, 64);
        return Pipeline.run(model, request, TestPlugins.sampler("euler_ancestral"), TestPlugins.scheduler("karras"),
                GenerationListener.NONE).latent().toArray();
    }

    @Test
    void convertsCkptToSafetensorsTensorForTensor() throws Exception {
        Path out = dir.resolve("converted.safetensors");
        try (TensorIndex ckpt = new CkptFormat().open(Golden.path("models/sd15_tiny.ckpt"))) {
            MergeResult r = new CheckpointConverter(ops).convert(ckpt, MergeTarget.of(out, new SafetensorsFormat()), MergeControl.NONE);
            assertEquals(ckpt.tensors().size(), r.tensors());
            assertEquals(Files.size(out), r.sizeBytes());
            try (TensorIndex converted = new SafetensorsFormat().open(out)) {
                assertEquals("sd15_tiny.ckpt", converted.metadata().get("stipple.converted_from"));
                for (TensorInfo t : ckpt.tensors()) {
                    assertEquals(t, converted.info(t.name()).orElseThrow());
                    assertArrayEquals(ckpt.bytes(t.name()).toArray(ValueLayout.JAVA_BYTE), converted.bytes(t.name()).toArray(ValueLayout.JAVA_BYTE), t.name());
                }
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void convertsToHalfPrecision() throws Exception {
        Path out = dir.resolve("half.safetensors");
        try (TensorIndex st = TestModels.open("models/sd15_tiny.safetensors")) {
            new CheckpointConverter(ops).convert(st, MergeTarget.of(out, new SafetensorsFormat()).withPrecision(OutputPrecision.F16),
                    MergeControl.NONE);
        }
        try (TensorIndex half = new SafetensorsFormat().open(out)) {
            assertTrue(half.tensors().stream().allMatch(t -> t.dtype() == DType.F16));
            assertTrue(Files.size(out) < Files.size(Golden.path("models/sd15_tiny.safetensors")) / 2 + 100_000);
        }
    }

    @Test
    void neverOverwritesUnlessAskedAndNeverItsInput() throws Exception {
        Path out = dir.resolve("exists.safetensors");
        Files.writeString(out, "keep me");
        try (TensorIndex ckpt = new CkptFormat().open(Golden.path("models/sd15_tiny.ckpt"))) {
            assertThrows(FileAlreadyExistsException.class, () -> new CheckpointConverter(ops).convert(ckpt,
                    MergeTarget.of(out, new SafetensorsFormat()), MergeControl.NONE));
            assertEquals("keep me", Files.readString(out));
            var e = assertThrows(IllegalArgumentException.class, () -> new CheckpointConverter(ops).convert(ckpt,
                    MergeTarget.of(ckpt.file(), new SafetensorsFormat()).overwriting(), MergeControl.NONE));
            assertTrue(e.getMessage().contains("the output is the input"));
            new CheckpointConverter(ops).convert(ckpt, MergeTarget.of(out, new SafetensorsFormat()).overwriting(), MergeControl.NONE);
            assertFalse(Files.readString(out, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("keep me"));
        }
    }
}
