package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run itself: order, caching, events, and the nodes the e2e goldens do not use. */
class WorkflowExecutionTest {
    private static final String CASE = "e2e/sd15_euler_normal_64x64";

    private static JsonObject base() {
        return Golden.manifest(CASE).getAsJsonObject("comfyui_api_prompt").deepCopy();
    }

    private static WorkflowResult run(JsonObject graph, WorkflowListener listener) {
        try (GoldenResources resources = new GoldenResources()) {
            return new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(graph), listener);
        }
    }

    private static float[] latent(WorkflowResult result) {
        return result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Latent).map(o -> ((WorkflowOutput.Latent) o).latent())
                .findFirst().orElseThrow().toArray();
    }

    @Test
    void eachNodeRunsOnceInDependencyOrderWithProgressAndPreviews() {
        JsonObject g = base();
        g.add("9", JsonParser.parseString("{\"class_type\": \"PreviewImage\", \"inputs\": {\"images\": [\"6\", 0]}}"));
        g.add("10", JsonParser.parseString("{\"class_type\": \"EmptyLatentImage\", \"inputs\": {}}")); // no output needs it
        List<String> executed = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        List<RgbImage> previews = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        WorkflowResult result = run(g, new WorkflowListener() {
            @Override
            public void executing(String nodeId, String classType) {
                executed.add(nodeId);
            }

            @Override
            public void progress(String nodeId, int step, int total) {
                progress.add(nodeId + ":" + step + "/" + total);
            }

            @Override
            public boolean wantsPreview() {
                return true;
            }

            @Override
            public void preview(String nodeId, int step, RgbImage preview) {
                previews.add(preview);
            }

            @Override
            public void output(WorkflowOutput output) {
                outputs.add(output.nodeId());
            }
        });
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9"), executed);
        assertEquals(List.of("5:1/6", "5:2/6", "5:3/6", "5:4/6", "5:5/6", "5:6/6"), progress);
        assertEquals(6, previews.size());
        assertEquals(List.of("7", "8", "9"), outputs);
        assertEquals(List.of("7", "8", "9"), result.outputs().stream().map(WorkflowOutput::nodeId).toList());
        assertTrue(((WorkflowOutput.Images) result.outputs().get(2)).temporary());
    }

    @Test
    void kSamplerAdvancedOverTheWholeScheduleIsKSampler() {
        JsonObject g = base();
        JsonObject inputs = g.getAsJsonObject("5").getAsJsonObject("inputs");
        inputs.add("noise_seed", inputs.remove("seed"));
        inputs.remove("denoise");
        inputs.addProperty("add_noise", "enable");
        inputs.addProperty("start_at_step", 0);
        inputs.addProperty("end_at_step", 10000);
        inputs.addProperty("return_with_leftover_noise", "disable");
        g.getAsJsonObject("5").addProperty("class_type", "KSamplerAdvanced");
        GoldenTensors golden = Golden.tensors(CASE + "/data.safetensors");
        assertCloseRelative("samples", golden.floats("samples"), latent(run(g, WorkflowListener.NONE)), 1e-3);
    }

    @Test
    void kSamplerAdvancedInTwoHalvesIsOneRun() {
        // first half keeps its leftover noise, the second adds none: ComfyUI's split-sampling pattern
        JsonObject g = base();
        String advanced = "{\"class_type\": \"KSamplerAdvanced\", \"inputs\": {\"model\": [\"1\", 0], \"add_noise\": \"%s\", "
                + "\"noise_seed\": 1, \"steps\": 6, \"cfg\": 7.0, \"sampler_name\": \"euler\", \"scheduler\": \"normal\", "
                + "\"positive\": [\"2\", 0], \"negative\": [\"3\", 0], \"latent_image\": [\"%s\", 0], \"start_at_step\": %d, "
                + "\"end_at_step\": %d, \"return_with_leftover_noise\": \"%s\"}}";
        g.add("5", JsonParser.parseString(advanced.formatted("enable", "4", 0, 3, "enable")));
        g.add("15", JsonParser.parseString(advanced.formatted("disable", "5", 3, 10000, "disable")));
        g.getAsJsonObject("8").getAsJsonObject("inputs").add("samples", JsonParser.parseString("[\"15\", 0]"));
        g.getAsJsonObject("6").getAsJsonObject("inputs").add("samples", JsonParser.parseString("[\"15\", 0]"));
        GoldenTensors golden = Golden.tensors(CASE + "/data.safetensors");
        assertCloseRelative("samples", golden.floats("samples"), latent(run(g, WorkflowListener.NONE)), 1e-3);
    }

    @Test
    void loadLatentReadsWhatSaveLatentWrote() {
        JsonObject g = JsonParser.parseString("""
                {"1": {"class_type": "LoadLatent", "inputs": {"latent": "shared/golden/%s/output.latent"}},
                 "2": {"class_type": "SaveLatent", "inputs": {"samples": ["1", 0], "filename_prefix": "again"}}}
                """.formatted(CASE)).getAsJsonObject();
        GoldenTensors golden = Golden.tensors(CASE + "/data.safetensors");
        WorkflowResult result = run(g, WorkflowListener.NONE);
        assertCloseRelative("samples", golden.floats("samples"), latent(result), 1e-7);
        assertEquals("again", ((WorkflowOutput.Latent) result.outputs().get(0)).filenamePrefix());
    }

    @Test
    void loraModelOnlyPatchesTheModelNotTheText() {
        JsonObject g = base();
        g.add("10", JsonParser.parseString("""
                {"class_type": "LoraLoaderModelOnly", "inputs": {"model": ["1", 0],
                 "lora_name": "shared/golden/lora/lora_a.safetensors", "strength_model": 0.0}}"""));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("model", JsonParser.parseString("[\"10\", 0]"));
        GoldenTensors golden = Golden.tensors(CASE + "/data.safetensors");
        // strength 0 leaves the model as it is
        assertCloseRelative("samples", golden.floats("samples"), latent(run(g, WorkflowListener.NONE)), 1e-3);
        g.getAsJsonObject("10").getAsJsonObject("inputs").addProperty("strength_model", 1.0);
        float[] patched = latent(run(g, WorkflowListener.NONE));
        float[] expected = golden.floats("samples");
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - patched[i]));
        }
        assertTrue(diff > 1e-2, "the LoRA changes the samples (largest difference " + diff + ")");
    }

    @Test
    void modelMergeSimpleBlendsTheUnetsByRatio() {
        // model2 is model1 with a LoRA on its UNet: ratio 1 gives model1, ratio 0 the LoRA'd model, 0.5 neither
        JsonObject g = base();
        g.add("10", JsonParser.parseString("""
                {"class_type": "LoraLoaderModelOnly", "inputs": {"model": ["1", 0],
                 "lora_name": "shared/golden/lora/lora_a.safetensors", "strength_model": 1.0}}"""));
        g.add("11", JsonParser.parseString("{\"class_type\": \"ModelMergeSimple\", \"inputs\": {\"model1\": [\"1\", 0], "
                + "\"model2\": [\"10\", 0], \"ratio\": 1.0}}"));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("model", JsonParser.parseString("[\"11\", 0]"));
        GoldenTensors golden = Golden.tensors(CASE + "/data.safetensors");
        assertCloseRelative("ratio 1", golden.floats("samples"), latent(run(g, WorkflowListener.NONE)), 1e-3);

        JsonObject loraOnly = g.deepCopy();
        loraOnly.getAsJsonObject("5").getAsJsonObject("inputs").add("model", JsonParser.parseString("[\"10\", 0]"));
        float[] withLora = latent(run(loraOnly, WorkflowListener.NONE));
        g.getAsJsonObject("11").getAsJsonObject("inputs").addProperty("ratio", 0.0);
        assertCloseRelative("ratio 0", withLora, latent(run(g, WorkflowListener.NONE)), 1e-5);

        g.getAsJsonObject("11").getAsJsonObject("inputs").addProperty("ratio", 0.5);
        float[] half = latent(run(g, WorkflowListener.NONE));
        float[] plain = golden.floats("samples");
        double fromPlain = 0;
        double fromLora = 0;
        for (int i = 0; i < half.length; i++) {
            fromPlain = Math.max(fromPlain, Math.abs(half[i] - plain[i]));
            fromLora = Math.max(fromLora, Math.abs(half[i] - withLora[i]));
        }
        assertTrue(fromPlain > 1e-3 && fromLora > 1e-3, "ratio 0.5 is neither model (largest differences " + fromPlain + ", " + fromLora + ")");
    }

    @Test
    void clipLayerBeyondTheModelsLayersNamesTheNode() {
        JsonObject g = base();
        g.add("20", JsonParser.parseString("{\"class_type\": \"CLIPSetLastLayer\", \"inputs\": {\"clip\": [\"1\", 1], "
                + "\"stop_at_clip_layer\": -24}}"));
        g.getAsJsonObject("2").getAsJsonObject("inputs").add("clip", JsonParser.parseString("[\"20\", 0]"));
        var e = assertThrows(InvalidRequestException.class, () -> run(g, WorkflowListener.NONE));
        assertTrue(e.getMessage().startsWith("20.inputs.stop_at_clip_layer: -24 (expected: -1 to -"), e.getMessage());
        assertTrue(e.getMessage().endsWith("layers) [CLIPSetLastLayer]"), e.getMessage());
    }

    @Test
    void vaeEncodeCropsToAMultipleOf8AroundTheCentre(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // 70x66 is cropped to 64x64 from (3, 1): the same latent as the 64x64 image cut there by hand
        java.awt.image.BufferedImage big = new java.awt.image.BufferedImage(70, 66, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(4);
        for (int y = 0; y < 66; y++) {
            for (int x = 0; x < 70; x++) {
                big.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        java.nio.file.Path whole = dir.resolve("whole.png");
        java.nio.file.Path cut = dir.resolve("cut.png");
        javax.imageio.ImageIO.write(big, "png", whole.toFile());
        javax.imageio.ImageIO.write(big.getSubimage(3, 1, 64, 64), "png", cut.toFile());
        String graph = """
                {"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "shared/golden/models/sd15_tiny.safetensors"}},
                 "2": {"class_type": "LoadImage", "inputs": {"image": "%s"}},
                 "3": {"class_type": "VAEEncode", "inputs": {"pixels": ["2", 0], "vae": ["1", 2]}},
                 "4": {"class_type": "SaveLatent", "inputs": {"samples": ["3", 0]}}}""";
        float[] fromWhole = latent(run(JsonParser.parseString(graph.formatted(whole)).getAsJsonObject(), WorkflowListener.NONE));
        float[] fromCut = latent(run(JsonParser.parseString(graph.formatted(cut)).getAsJsonObject(), WorkflowListener.NONE));
        assertEquals(4 * 8 * 8, fromWhole.length);
        assertCloseRelative("cropped", fromCut, fromWhole, 1e-6);
    }

    @Test
    void latentUpscaleNodesResizeBeforeASecondPass() {
        // the hires-fix pattern: upscale the first pass's latent, sample it again at denoise 0.5
        JsonObject g = base();
        g.add("12", JsonParser.parseString("{\"class_type\": \"LatentUpscaleBy\", \"inputs\": {\"samples\": [\"5\", 0], "
                + "\"upscale_method\": \"bilinear\", \"scale_by\": 1.5}}"));
        g.add("13", JsonParser.parseString("{\"class_type\": \"LatentUpscale\", \"inputs\": {\"samples\": [\"12\", 0], "
                + "\"width\": 0, \"height\": 128, \"crop\": \"disabled\"}}"));
        JsonObject second = g.getAsJsonObject("5").deepCopy();
        second.getAsJsonObject("inputs").add("latent_image", JsonParser.parseString("[\"13\", 0]"));
        second.getAsJsonObject("inputs").addProperty("denoise", 0.5);
        g.add("14", second);
        g.getAsJsonObject("8").getAsJsonObject("inputs").add("samples", JsonParser.parseString("[\"14\", 0]"));
        g.getAsJsonObject("6").getAsJsonObject("inputs").add("samples", JsonParser.parseString("[\"14\", 0]"));
        WorkflowResult r = run(g, WorkflowListener.NONE);
        WorkflowOutput.Latent latent = (WorkflowOutput.Latent) r.outputs().get(1);
        // 8x8 by 1.5 is 12x12; then height 128 px with the width from the aspect: 16x16
        assertEquals(java.util.List.of(1, 4, 16, 16), java.util.Arrays.stream(latent.latent().shape().dims()).boxed().toList());
        assertEquals(128, ((WorkflowOutput.Images) r.outputs().get(0)).images().getFirst().width());
    }

    @Test
    void conditioningCombineAveragesThePredictionsOfItsEntries() {
        // a prompt combined with itself predicts what it predicts alone; with another prompt, something else
        JsonObject g = base();
        g.add("12", JsonParser.parseString("{\"class_type\": \"ConditioningCombine\", \"inputs\": {\"conditioning_1\": [\"2\", 0], "
                + "\"conditioning_2\": [\"2\", 0]}}"));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("positive", JsonParser.parseString("[\"12\", 0]"));
        float[] golden = Golden.tensors(CASE + "/data.safetensors").floats("samples");
        assertCloseRelative("combined with itself", golden, latent(run(g, WorkflowListener.NONE)), 1e-3);

        g.add("13", JsonParser.parseString("{\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"a red ball\", \"clip\": [\"1\", 1]}}"));
        g.getAsJsonObject("12").getAsJsonObject("inputs").add("conditioning_2", JsonParser.parseString("[\"13\", 0]"));
        float[] mixed = latent(run(g, WorkflowListener.NONE));
        double diff = 0;
        for (int i = 0; i < golden.length; i++) {
            diff = Math.max(diff, Math.abs(golden[i] - mixed[i]));
        }
        assertTrue(diff > 1e-3, "another prompt in the mix changes the samples (largest difference " + diff + ")");
    }

    @Test
    void clipMergeSimpleBlendsTheTextEncodersByRatio() {
        // clip2 is clip1 with a LoRA at strength 1: ratio 1 gives clip1, ratio 0 the LoRA'd text encoder
        JsonObject g = base();
        g.add("10", JsonParser.parseString("""
                {"class_type": "LoraLoader", "inputs": {"model": ["1", 0], "clip": ["1", 1],
                 "lora_name": "shared/golden/lora/lora_a.safetensors", "strength_model": 0.0, "strength_clip": 1.0}}"""));
        g.add("11", JsonParser.parseString("{\"class_type\": \"CLIPMergeSimple\", \"inputs\": {\"clip1\": [\"1\", 1], "
                + "\"clip2\": [\"10\", 1], \"ratio\": 1.0}}"));
        for (String prompt : new String[] {"2", "3"}) {
            g.getAsJsonObject(prompt).getAsJsonObject("inputs").add("clip", JsonParser.parseString("[\"11\", 0]"));
        }
        float[] golden = Golden.tensors(CASE + "/data.safetensors").floats("samples");
        assertCloseRelative("ratio 1", golden, latent(run(g, WorkflowListener.NONE)), 1e-3);

        JsonObject loraOnly = g.deepCopy();
        for (String prompt : new String[] {"2", "3"}) {
            loraOnly.getAsJsonObject(prompt).getAsJsonObject("inputs").add("clip", JsonParser.parseString("[\"10\", 1]"));
        }
        float[] withLora = latent(run(loraOnly, WorkflowListener.NONE));
        g.getAsJsonObject("11").getAsJsonObject("inputs").addProperty("ratio", 0.0);
        assertCloseRelative("ratio 0", withLora, latent(run(g, WorkflowListener.NONE)), 1e-5);
        double diff = 0;
        for (int i = 0; i < golden.length; i++) {
            diff = Math.max(diff, Math.abs(golden[i] - withLora[i]));
        }
        assertTrue(diff > 1e-3, "the LoRA's text-encoder patches change the samples (largest difference " + diff + ")");
    }

    @Test
    void fileThatIsNoLoraNamesTheNode() {
        JsonObject g = base();
        g.add("10", JsonParser.parseString("""
                {"class_type": "LoraLoader", "inputs": {"model": ["1", 0], "clip": ["1", 1],
                 "lora_name": "shared/golden/%s/output.latent", "strength_model": 1.0, "strength_clip": 1.0}}""".formatted(CASE)));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("model", JsonParser.parseString("[\"10\", 0]"));
        var e = assertThrows(InvalidRequestException.class, () -> run(g, WorkflowListener.NONE));
        assertEquals("10.inputs.lora_name", e.field());
        assertTrue(e.getMessage().startsWith("10.inputs.lora_name: shared/golden/" + CASE + "/output.latent: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("[LoraLoader]"), e.getMessage());
    }
}
