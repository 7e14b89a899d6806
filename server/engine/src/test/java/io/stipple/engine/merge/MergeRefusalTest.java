package io.stipple.engine.merge;

import static io.stipple.engine.merge.MergeFixtures.UNET;
import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.Golden;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Everything a merge refuses is refused before anything is written, with a message naming what is wrong. */
class MergeRefusalTest {
    private final CheckpointMerger merger = new CheckpointMerger(new CpuOps());
    private final AtomicInteger progressCalls = new AtomicInteger();
    private final MergeControl control = new MergeControl((done, total) -> progressCalls.incrementAndGet(), () -> false);

    @TempDir
    Path dir;
    private Path in;
    private Path out;

    @BeforeEach
    void folders() throws Exception {
        in = Files.createDirectories(dir.resolve("in"));
        out = Files.createDirectories(dir.resolve("out"));
    }

    @Test
    void modelsOfDifferentFamilies() throws Exception {
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SDXL, in))) {
            String message = refused(IncompatibleModelsException.class,
                    () -> merger.merge(MergeRecipe.weightedSum(0.5), a, b, target(), control));
            assertEquals("cannot merge models of different families: model A (sd15_tiny.safetensors) is Stable Diffusion 1.x, "
                    + "model B (sdxl_tiny.safetensors) is Stable Diffusion XL", message);
        }
    }

    @Test
    void tensorsOfDifferentShapes() throws Exception {
        String changed = UNET + "out.2.bias";
        Path pathB;
        try (TensorIndex b = MergeFixtures.open(Golden.path(MergeFixtures.SD15_B))) {
            List<TensorEntry> entries = new ArrayList<>(MergeFixtures.entries(b, k -> !k.equals(changed)));
            entries.add(MergeFixtures.f32(changed, Shape.of(5), new float[5]));
            pathB = MergeFixtures.write(in.resolve("b_wide.safetensors"), entries);
        }
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in)); TensorIndex b = MergeFixtures.open(pathB)) {
            String message = refused(IncompatibleModelsException.class,
                    () -> merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b, target(), control));
            assertEquals("cannot merge sd15_tiny.safetensors and b_wide.safetensors: tensor " + changed + " has shape [4] in model A "
                    + "(sd15_tiny.safetensors) but [5] in model B (b_wide.safetensors) (expected: the same shape)", message);
            // the on-the-fly merge refuses the same, before any weight is read
            CpuOps ops = new CpuOps();
            assertThrows(IncompatibleModelsException.class, () -> MergedParameters.create(MergeRecipe.unetWeightedSum(0.3),
                    new MergeModel("a", new CheckpointParameters(a, ops, WeightPolicy.AS_STORED)),
                    new MergeModel("b", new CheckpointParameters(b, ops, WeightPolicy.AS_STORED)), ops));
        }
    }

    @Test
    void anExistingOutputWithoutOverwrite() throws Exception {
        Path existing = Files.writeString(out.resolve("merged.safetensors"), "keep me");
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                    () -> merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b, MergeTarget.of(existing, MergeFixtures.FORMAT), control));
            assertTrue(e.getMessage().contains("merged.safetensors") && e.getMessage().contains("overwrite"), e.getMessage());
        }
        assertEquals("keep me", Files.readString(existing));
        assertEquals(List.of("merged.safetensors"), MergeFixtures.listing(out));
        assertEquals(0, progressCalls.get(), "refused before any work");
    }

    @Test
    void addDifferenceWithoutModelC() throws Exception {
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            String message = refused(IllegalArgumentException.class,
                    () -> merger.merge(MergeRecipe.addDifference(1.0), a, b, target(), control));
            assertTrue(message.startsWith("model C: none given (expected: the base model B was trained from"), message);
        }
    }

    @Test
    void aModelCThatTheRecipeDoesNotUse() throws Exception {
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            String message = refused(IllegalArgumentException.class,
                    () -> merger.merge(MergeRecipe.weightedSum(0.5), a, b, a, target(), control));
            assertTrue(message.startsWith("model C: sd15_tiny.safetensors given, but a weighted_sum merge"), message);
        }
    }

    @Test
    void copyingAComponentModelBDoesNotHave() throws Exception {
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            String message = refused(IncompatibleModelsException.class, () -> merger.merge(
                    MergeRecipe.unetWeightedSum(0.3).withVae(ComponentRule.copyB()), a, b, target(), control));
            assertEquals("vae: copy from model B asked, but model B (sd15_tiny_b.safetensors) has no VAE weights (first_stage_model.*)",
                    message);
        }
    }

    @Test
    void aFileThatIsNotAStableDiffusionModel() throws Exception {
        Path notAModel = MergeFixtures.write(in.resolve("vae_only.safetensors"),
                List.of(MergeFixtures.f32("first_stage_model.decoder.conv_out.bias", Shape.of(3), new float[3])));
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in)); TensorIndex b = MergeFixtures.open(notAModel)) {
            String message = refused(UnsupportedModelException.class,
                    () -> merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b, target(), control));
            assertTrue(message.startsWith("model B (vae_only.safetensors) has no Stable Diffusion UNet"), message);
        }
    }

    @Test
    void theOutputIsOneOfTheInputs() throws Exception {
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, in);
        String sha = MergeFixtures.sha256(pathA);
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            String message = refused(IllegalArgumentException.class, () -> merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b,
                    MergeTarget.of(pathA, MergeFixtures.FORMAT).overwriting(), control));
            assertTrue(message.endsWith("sd15_tiny.safetensors is model A's file (expected: a new file)"), message);
        }
        assertEquals(sha, MergeFixtures.sha256(pathA));
    }

    @Test
    void aFormatThatCannotWrite() throws Exception {
        CheckpointFormat readOnly = new CheckpointFormat() {
            public String name() {
                return "ckpt";
            }

            public List<String> extensions() {
                return List.of(".ckpt");
            }

            public boolean canRead(Path file, ByteBuffer head) {
                return false;
            }

            public TensorIndex open(Path file) {
                throw new UnsupportedOperationException();
            }
        };
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            String message = refused(IllegalArgumentException.class, () -> merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b,
                    MergeTarget.of(out.resolve("merged.ckpt"), readOnly), control));
            assertEquals("output format: ckpt (expected: a format that can write files, such as safetensors)", message);
        }
    }

    @Test
    void anOutputFolderThatDoesNotExist() throws Exception {
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, in));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, in))) {
            Exception e = assertThrows(NoSuchFileException.class, () -> merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b,
                    MergeTarget.of(dir.resolve("missing/merged.safetensors"), MergeFixtures.FORMAT), control));
            assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("output folder does not exist"), e.getMessage());
        }
    }

    @Test
    void blendedWeightsStoredAsFp8NeedAnOutputPrecision() throws Exception {
        String key = UNET + "input_blocks.0.0.weight";
        TensorInfo fp8 = new TensorInfo(key, DType.F8_E4M3, Shape.of(4));
        Path pathA = MergeFixtures.write(in.resolve("a_fp8.safetensors"),
                List.of(new TensorEntry(fp8, () -> MemorySegment.ofArray(new byte[] {0x38, 0x40, (byte) 0xb8, 0}))));
        Path pathB = MergeFixtures.write(in.resolve("b.safetensors"), List.of(MergeFixtures.f32(key, Shape.of(4), new float[] {1, 2, 3, 4})));
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            String message = refused(IllegalArgumentException.class,
                    () -> merger.merge(MergeRecipe.weightedSum(0.5), a, b, target(), control));
            assertEquals("tensor " + key + ": model A stores it as F8_E4M3, which a merged weight cannot be written as "
                    + "(expected: precision F16, BF16 or F32)", message);
            merger.merge(MergeRecipe.weightedSum(0.5), a, b, target().withPrecision(OutputPrecision.F16), MergeControl.NONE);
            try (TensorIndex saved = MergeFixtures.open(target().file())) {
                // e4m3 0x38 = 1, 0x40 = 2, 0xb8 = -1
                assertExact(key, new float[] {1, 2, 1, 2}, MergeFixtures.floats(saved, key));
            }
        }
    }

    @Test
    void recipesOutOfRange() {
        assertEquals("unet ratio: 1.5 (expected: between 0 and 1, the weight of model A)",
                assertThrows(IllegalArgumentException.class, () -> MergeRecipe.weightedSum(1.5)).getMessage());
        assertEquals("vae ratio: NaN (expected: between 0 and 1, the weight of model A)",
                assertThrows(IllegalArgumentException.class, () -> MergeRecipe.unetWeightedSum(0.5).withVae(ComponentRule.blend(Double.NaN)))
                        .getMessage());
        assertEquals("text_encoder multiplier: Infinity (expected: a finite number)", assertThrows(IllegalArgumentException.class,
                () -> MergeRecipe.addDifference(1).withTextEncoder(ComponentRule.blend(Double.POSITIVE_INFINITY))).getMessage());
        MergeRecipe.addDifference(-2.5); // a negative multiplier subtracts the difference: allowed
    }

    private MergeTarget target() {
        return MergeTarget.of(out.resolve("merged.safetensors"), MergeFixtures.FORMAT);
    }

    /** Runs a merge that must be refused; checks nothing was written or started, and returns the message. */
    private String refused(Class<? extends Exception> type, Executable merge) throws Exception {
        Exception e = assertThrows(type, merge);
        assertEquals(List.of(), MergeFixtures.listing(out), "nothing written");
        assertEquals(0, progressCalls.get(), "refused before the first tensor");
        return e.getMessage();
    }
}
