package io.stipple.engine.merge;

import static io.stipple.engine.merge.MergeFixtures.UNET;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorEntry;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.DType;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved merges: what the file holds, its metadata, precision, progress and in-process cancellation. */
class CheckpointMergerTest {
    private final CpuOps ops = new CpuOps();
    private final CheckpointMerger merger = new CheckpointMerger(ops);

    @TempDir
    Path dir;

    @Test
    void aCancelAfterTheRenameKeepsTheFileAndGivesTheResult() throws Exception {
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"));
        Path pathB = MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in"));
        Path late = Files.createDirectories(dir.resolve("out")).resolve("late.safetensors");
        Path early = dir.resolve("out/early.safetensors");
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
            // the client cancels as the last progress goes out: the file is in place by then
            MergeResult result = merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b, MergeTarget.of(late, MergeFixtures.FORMAT),
                    new MergeControl((done, total) -> cancel.compareAndSet(false, done == total), cancel::get));
            assertTrue(cancel.get());
            assertEquals(MergeFixtures.sha256(late), result.sha256(), "the outcome is the complete file");

            // cancelled while the last tensor is written: nothing is kept
            java.util.concurrent.atomic.AtomicBoolean before = new java.util.concurrent.atomic.AtomicBoolean();
            org.junit.jupiter.api.Assertions.assertThrows(MergeCancelledException.class, () -> merger.merge(
                    MergeRecipe.unetWeightedSum(0.3), a, b, MergeTarget.of(early, MergeFixtures.FORMAT),
                    new MergeControl((done, total) -> before.compareAndSet(false, done == total - 1), before::get)));
            assertFalse(Files.exists(early));
        }
    }

    @Test
    void savedMergeHoldsTheMergedTensorsAndLoadsAsAModel() throws Exception {
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"));
        Path pathB = MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in"));
        Path out = Files.createDirectories(dir.resolve("out")).resolve("merged.safetensors");
        List<int[]> progress = new ArrayList<>();
        MergeResult result;
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            result = merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b, MergeTarget.of(out, MergeFixtures.FORMAT),
                    new MergeControl((done, total) -> progress.add(new int[] {done, total}), () -> false));
            MergedParameters expected = MergedParameters.create(MergeRecipe.unetWeightedSum(0.3),
                    new MergeModel("a", new CheckpointParameters(a, ops, WeightPolicy.AS_STORED)),
                    new MergeModel("b", new CheckpointParameters(b, ops, WeightPolicy.AS_STORED)), ops);
            try (TensorIndex saved = MergeFixtures.open(out)) {
                assertEquals(a.tensors().stream().map(TensorInfo::name).toList(),
                        saved.tensors().stream().map(TensorInfo::name).toList(), "model A's keys, in its order");
                for (TensorInfo t : saved.tensors()) {
                    assertEquals(a.info(t.name()).orElseThrow(), t, "declared as model A declares it");
                    if (t.name().startsWith(UNET)) {
                        assertExact(t.name(), expected.get(t.name()).toArray(), MergeFixtures.floats(saved, t.name()));
                    } else {
                        assertTrue(MergeFixtures.sameBytes(a, saved, t.name()), t.name() + ": model A's bytes");
                    }
                }
                assertEquals(result.metadata(), saved.metadata());
            }
        }
        assertEquals(out.toAbsolutePath(), result.file());
        assertEquals(518, result.tensors());
        assertEquals(Files.size(out), result.sizeBytes());
        assertEquals(MergeFixtures.sha256(out), result.sha256());
        assertEquals(List.of(), result.warnings());
        assertEquals("weighted_sum", result.metadata().get("stipple.merge.mode"));
        assertEquals("sd15_tiny.safetensors", result.metadata().get("stipple.merge.model_a"));
        assertEquals("sd15_tiny_b.safetensors", result.metadata().get("stipple.merge.model_b"));
        assertEquals("0.3", result.metadata().get("stipple.merge.unet"));
        assertEquals("copy_a", result.metadata().get("stipple.merge.text_encoder"));
        assertEquals("copy_a", result.metadata().get("stipple.merge.vae"));
        assertEquals("keep", result.metadata().get("stipple.merge.precision"));
        assertEquals(519, progress.size(), "before each tensor, and at the end");
        for (int i = 0; i < progress.size(); i++) {
            assertEquals(i, progress.get(i)[0]);
            assertEquals(518, progress.get(i)[1]);
        }
        assertEquals(List.of("merged.safetensors"), MergeFixtures.listing(dir.resolve("out")), "no temporary file left");

        GoldenTensors golden = Golden.tensors("merge/data.safetensors");
        try (TensorIndex saved = MergeFixtures.open(out)) {
            StableDiffusionModel model = ModelLoader.load("merged", new CheckpointParameters(saved, ops, WeightPolicy.RESIDENT_F32), ops);
            assertEquals(ModelFamily.SD15, model.family());
            Tensor eps = model.unet().forward(ops.fromArray(golden.floats("x"), Shape.of(golden.shape("x"))),
                    golden.floats("timesteps"), ops.fromArray(golden.floats("context"), Shape.of(golden.shape("context"))), null);
            assertCloseRelative("simple/eps of the saved merge", golden.floats("simple/eps"), eps.toArray(), 1e-4);
        }
    }

    @Test
    void addDifferenceAddsTheDifferenceOfBAndC() throws Exception {
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"));
        Path pathB = MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in"));
        // C: model A's UNet with every value halved, so that B − C differs from B − A
        Path pathC;
        try (TensorIndex a = MergeFixtures.open(pathA)) {
            List<TensorEntry> halved = new ArrayList<>();
            for (TensorInfo t : a.tensors()) {
                if (t.name().startsWith(UNET)) {
                    float[] v = MergeFixtures.floats(a, t.name());
                    for (int i = 0; i < v.length; i++) {
                        v[i] *= 0.5f;
                    }
                    halved.add(MergeFixtures.f32(t.name(), t.shape(), v));
                }
            }
            pathC = MergeFixtures.write(dir.resolve("in/c.safetensors"), halved);
        }
        Path out = dir.resolve("diff.safetensors");
        MergeRecipe recipe = new MergeRecipe(MergeMode.ADD_DIFFERENCE, ComponentRule.blend(0.75), ComponentRule.copyA(),
                ComponentRule.copyA());
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB);
                TensorIndex c = MergeFixtures.open(pathC)) {
            MergeResult result = merger.merge(recipe, a, b, c, MergeTarget.of(out, MergeFixtures.FORMAT), MergeControl.NONE);
            assertEquals("c.safetensors", result.metadata().get("stipple.merge.model_c"));
            assertEquals("add_difference", result.metadata().get("stipple.merge.mode"));
            assertEquals("0.75", result.metadata().get("stipple.merge.unet"));
            try (TensorIndex saved = MergeFixtures.open(out)) {
                for (String key : List.of(UNET + "input_blocks.0.0.weight", UNET + "out.2.bias",
                        UNET + "middle_block.1.transformer_blocks.0.attn1.to_q.weight")) {
                    float[] va = MergeFixtures.floats(a, key);
                    float[] vb = MergeFixtures.floats(b, key);
                    float[] vc = MergeFixtures.floats(c, key);
                    float[] expected = new float[va.length];
                    for (int i = 0; i < va.length; i++) {
                        float difference = vb[i] - vc[i];
                        expected[i] = va[i] + difference * 0.75f;
                    }
                    assertExact(key, expected, MergeFixtures.floats(saved, key));
                }
            }
        }
    }

    @Test
    void outputPrecisionConvertsFloatingTensorsOnly() throws Exception {
        // sdxl_tiny merged with itself: 0.5·A + 0.5·A is A exactly, so each value must be A's, rounded to bf16
        Path pathA = MergeFixtures.copy(MergeFixtures.SDXL, dir.resolve("in"));
        Path out = dir.resolve("bf16.safetensors");
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathA)) {
            merger.merge(MergeRecipe.weightedSum(0.5), a, b,
                    MergeTarget.of(out, MergeFixtures.FORMAT).withPrecision(OutputPrecision.BF16), MergeControl.NONE);
            try (TensorIndex saved = MergeFixtures.open(out)) {
                String positions = "conditioner.embedders.0.transformer.text_model.embeddings.position_ids";
                assertEquals(DType.I64, saved.info(positions).orElseThrow().dtype());
                assertTrue(MergeFixtures.sameBytes(a, saved, positions), "integer tensors are copied as they are");
                for (TensorInfo t : saved.tensors()) {
                    if (!t.name().equals(positions)) {
                        assertEquals(DType.BF16, t.dtype(), t.name());
                    }
                }
                for (String key : List.of(UNET + "label_emb.0.0.weight", "conditioner.embedders.1.model.text_projection",
                        "first_stage_model.decoder.conv_out.weight")) {
                    Tensor asBf16 = ops.cast(ops.fromArray(MergeFixtures.floats(a, key), a.info(key).orElseThrow().shape()), DType.BF16);
                    assertExact(key, ops.toArray(asBf16), MergeFixtures.floats(saved, key));
                }
            }
        }
    }

    @Test
    void f16OutputRoundsMergedAndCopiedWeights() throws Exception {
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"));
        Path pathB = MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in"));
        Path out = dir.resolve("f16.safetensors");
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b,
                    MergeTarget.of(out, MergeFixtures.FORMAT).withPrecision(OutputPrecision.F16), MergeControl.NONE);
            try (TensorIndex saved = MergeFixtures.open(out)) {
                assertTrue(saved.tensors().stream().allMatch(t -> t.dtype() == DType.F16));
                String unetKey = UNET + "out.2.weight";
                float[] va = MergeFixtures.floats(a, unetKey);
                float[] vb = MergeFixtures.floats(b, unetKey);
                float[] expected = new float[va.length];
                for (int i = 0; i < va.length; i++) {
                    expected[i] = Float.float16ToFloat(Float.floatToFloat16(va[i] * 0.3f + vb[i] * (float) (1.0 - 0.3)));
                }
                assertExact(unetKey, expected, MergeFixtures.floats(saved, unetKey));
                String clipKey = "cond_stage_model.transformer.text_model.final_layer_norm.bias";
                float[] clip = MergeFixtures.floats(a, clipKey);
                for (int i = 0; i < clip.length; i++) {
                    clip[i] = Float.float16ToFloat(Float.floatToFloat16(clip[i]));
                }
                assertExact(clipKey, clip, MergeFixtures.floats(saved, clipKey));
            }
        }
    }

    @Test
    void aKeyMissingInModelBKeepsModelAsTensorAndIsReported() throws Exception {
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in"));
        String dropped = UNET + "out.2.bias";
        Path pathB;
        try (TensorIndex full = MergeFixtures.open(Golden.path(MergeFixtures.SD15_B))) {
            pathB = MergeFixtures.write(dir.resolve("in/b_partial.safetensors"), MergeFixtures.entries(full, k -> !k.equals(dropped)));
        }
        Path out = dir.resolve("merged.safetensors");
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            MergeResult result = merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b, MergeTarget.of(out, MergeFixtures.FORMAT),
                    MergeControl.NONE);
            assertEquals(1, result.warnings().size(), result.warnings().toString());
            String warning = result.warnings().getFirst();
            assertTrue(warning.contains(dropped) && warning.contains("b_partial.safetensors") && warning.contains("kept from model A"),
                    warning);
            try (TensorIndex saved = MergeFixtures.open(out)) {
                assertTrue(MergeFixtures.sameBytes(a, saved, dropped), "model A's tensor is kept");
                assertTrue(!MergeFixtures.sameBytes(a, saved, UNET + "out.2.weight"), "the others are merged");
            }
        }
    }

    @Test
    void weightedSumOfAllComponentsReportsWhatAUnetOnlyModelBLacks() throws Exception {
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in")));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in")))) {
            MergeResult result = merger.merge(MergeRecipe.weightedSum(0.5), a, b,
                    MergeTarget.of(dir.resolve("all.safetensors"), MergeFixtures.FORMAT), MergeControl.NONE);
            assertEquals(2, result.warnings().size(), result.warnings().toString());
            assertTrue(result.warnings().get(0).contains("text encoder lacks 52 of model A's weights"), result.warnings().get(0));
            assertTrue(result.warnings().get(1).contains("VAE lacks"), result.warnings().get(1));
        }
    }

    @Test
    void keysOutsideTheComponentsAndIntegerTensorsComeFromModelA() throws Exception {
        String unet = UNET + "input_blocks.0.0.weight";
        String positions = "cond_stage_model.transformer.text_model.embeddings.position_ids";
        Path pathA = MergeFixtures.write(dir.resolve("a.safetensors"), List.of(
                MergeFixtures.f32(unet, Shape.of(2), new float[] {1, 2}),
                MergeFixtures.f32("alphas_cumprod", Shape.of(3), new float[] {0.9f, 0.8f, 0.7f}),
                MergeFixtures.i64(positions, new long[] {0, 1, 2})));
        Path pathB = MergeFixtures.write(dir.resolve("b.safetensors"), List.of(
                MergeFixtures.f32(unet, Shape.of(2), new float[] {3, 4}),
                MergeFixtures.f32("alphas_cumprod", Shape.of(3), new float[] {0.1f, 0.2f, 0.3f}),
                MergeFixtures.i64(positions, new long[] {5, 6, 7})));
        Path out = dir.resolve("merged.safetensors");
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            merger.merge(MergeRecipe.weightedSum(0.5), a, b, MergeTarget.of(out, MergeFixtures.FORMAT), MergeControl.NONE);
            try (TensorIndex saved = MergeFixtures.open(out)) {
                assertExact(unet, new float[] {2, 3}, MergeFixtures.floats(saved, unet));
                assertTrue(MergeFixtures.sameBytes(a, saved, "alphas_cumprod"), "outside all components: model A's");
                assertTrue(MergeFixtures.sameBytes(a, saved, positions), "integer tensors are not blended: model A's");
            }
        }
    }

    @Test
    void cancellingStopsTheMergeAndLeavesNothing() throws Exception {
        Path in = dir.resolve("in");
        Path pathA = MergeFixtures.copy(MergeFixtures.SD15, in);
        Path pathB = MergeFixtures.copy(MergeFixtures.SD15_B, in);
        String shaA = MergeFixtures.sha256(pathA);
        String shaB = MergeFixtures.sha256(pathB);
        Path outDir = Files.createDirectories(dir.resolve("out"));
        AtomicInteger seen = new AtomicInteger();
        MergeControl control = new MergeControl((done, total) -> seen.set(done), () -> seen.get() >= 100);
        try (TensorIndex a = MergeFixtures.open(pathA); TensorIndex b = MergeFixtures.open(pathB)) {
            MergeCancelledException e = assertThrows(MergeCancelledException.class, () -> merger.merge(MergeRecipe.unetWeightedSum(0.3),
                    a, b, MergeTarget.of(outDir.resolve("merged.safetensors"), MergeFixtures.FORMAT), control));
            // tensor 100 was reported (and written); the check before tensor 101 stops the merge
            assertTrue(e.getMessage().contains("after 101 of 518 tensors"), e.getMessage());
        }
        assertEquals(100, seen.get(), "stopped at the first check after the request");
        assertEquals(List.of(), MergeFixtures.listing(outDir), "no output, no temporary file");
        assertEquals(shaA, MergeFixtures.sha256(pathA));
        assertEquals(shaB, MergeFixtures.sha256(pathB));
    }

    @Test
    void overwriteReplacesAnExistingFileWhenAsked() throws Exception {
        Path out = dir.resolve("merged.safetensors");
        Files.writeString(out, "an older file");
        try (TensorIndex a = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15, dir.resolve("in")));
                TensorIndex b = MergeFixtures.open(MergeFixtures.copy(MergeFixtures.SD15_B, dir.resolve("in")))) {
            MergeResult result = merger.merge(MergeRecipe.unetWeightedSum(0.3), a, b,
                    MergeTarget.of(out, MergeFixtures.FORMAT).overwriting(), MergeControl.NONE);
            assertEquals(Files.size(out), result.sizeBytes());
            try (TensorIndex saved = MergeFixtures.open(out)) {
                assertEquals(518, saved.tensors().size());
            }
        }
        assertEquals(List.of("in", "merged.safetensors"), MergeFixtures.listing(dir));
    }
}
