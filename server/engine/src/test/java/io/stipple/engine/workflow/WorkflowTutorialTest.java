package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's six workflows as UI-format files (src/test/resources/workflows), written for the
 * tiny models, run end to end: each converted and run, checked against the golden where one applies
 * and against what the others imply where not.
 */
class WorkflowTutorialTest {
    private static final String SDXL = "e2e/sdxl_euler_normal_64x64";

    private static WorkflowResult run(String file) throws IOException {
        String ui;
        try (InputStream in = WorkflowTutorialTest.class.getResourceAsStream("/workflows/" + file)) {
            ui = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (GoldenResources resources = new GoldenResources()) {
            return new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(ui, NodeRegistry.standard()),
                    WorkflowListener.NONE);
        }
    }

    private static float[] latent(WorkflowResult r) {
        return r.outputs().stream().filter(o -> o instanceof WorkflowOutput.Latent).map(o -> ((WorkflowOutput.Latent) o).latent().toArray())
                .findFirst().orElseThrow();
    }

    private static List<RgbImage> images(WorkflowResult r) {
        return r.outputs().stream().filter(o -> o instanceof WorkflowOutput.Images).map(o -> ((WorkflowOutput.Images) o).images())
                .findFirst().orElseThrow();
    }

    private static double largestDifference(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void sd15TextToImage() throws IOException {
        assertCloseRelative("samples", Golden.tensors("e2e/sd15_euler_normal_64x64/data.safetensors").floats("samples"),
                latent(run("sd15_txt2img_ui.json")), 1e-3);
    }

    @Test
    void sdxlTextToImage() throws IOException {
        WorkflowResult r = run("sdxl_txt2img_ui.json");
        assertCloseRelative("samples", Golden.tensors(SDXL + "/data.safetensors").floats("samples"), latent(r), 1e-3);
        assertEquals(64, images(r).getFirst().width());
    }

    @Test
    void sdxlWithALoraAndWithTheSameLoraTwiceAtHalfStrength() throws IOException {
        float[] plain = Golden.tensors(SDXL + "/data.safetensors").floats("samples");
        float[] one = latent(run("sdxl_lora_ui.json"));
        float[] twoHalves = latent(run("sdxl_two_loras_ui.json"));
        assertTrue(largestDifference(plain, one) > 1e-3, "the LoRA changes the image (largest difference "
                + largestDifference(plain, one) + ")");
        // stacked patches add: 0.5·ΔW + 0.5·ΔW is the LoRA at strength 1
        assertCloseRelative("two halves", one, twoHalves, 1e-4);
    }

    @Test
    void sdxlMergedWithItselfIsItself() throws IOException {
        assertCloseRelative("samples", Golden.tensors(SDXL + "/data.safetensors").floats("samples"), latent(run("sdxl_merge_ui.json")), 1e-3);
    }

    @Test
    void sdxlImageToImageFromALoadedLatent() throws IOException {
        float[] start = Golden.tensors(SDXL + "/data.safetensors").floats("samples");
        WorkflowResult r = run("sdxl_img2img_latent_ui.json");
        float[] out = latent(r);
        assertEquals(start.length, out.length);
        assertTrue(largestDifference(start, out) > 1e-3, "denoise 0.6 changes the latent");
        RgbImage image = images(r).getFirst();
        assertArrayEquals(new int[] {64, 64}, new int[] {image.width(), image.height()});
    }
}
