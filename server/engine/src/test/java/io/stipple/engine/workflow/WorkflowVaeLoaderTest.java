package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.engine.detect.UnsupportedModelException;
import io.stipple.engine.image.RgbImage;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * VAELoader: the e2e case sd15_euler_normal_64x64's ComfyUI graph with its VAEDecode reading the VAE
 * from a file of its own (here the same checkpoint file, whose first_stage_model.* keys are that
 * VAE) gives the case's pixels; a file with no VAE in it is refused by name.
 */
class WorkflowVaeLoaderTest {
    private static JsonObject graph(String vaeFile) {
        JsonObject g = Golden.manifest("e2e/sd15_euler_normal_64x64").getAsJsonObject("comfyui_api_prompt").deepCopy();
        g.add("20", JsonParser.parseString("{\"class_type\": \"VAELoader\", \"inputs\": {\"vae_name\": \"" + vaeFile + "\"}}"));
        g.getAsJsonObject("6").getAsJsonObject("inputs").add("vae", JsonParser.parseString("[\"20\", 0]"));
        return g;
    }

    private static List<RgbImage> images(JsonObject graph) {
        try (GoldenResources resources = new GoldenResources()) {
            WorkflowResult result = new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(graph), WorkflowListener.NONE);
            return result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Images).map(WorkflowOutput.Images.class::cast)
                    .findFirst().orElseThrow().images();
        }
    }

    @Test
    void aVaeFileDecodesAsTheCheckpointsOwn() {
        GoldenTensors g = Golden.tensors("e2e/sd15_euler_normal_64x64/data.safetensors");
        byte[] rgb = images(graph("shared/golden/models/sd15_tiny.safetensors")).getFirst().rgb();
        float[] actual = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            actual[i] = rgb[i] & 0xff;
        }
        assertClose("png", g.floats("png"), actual, 1.0);
    }

    @Test
    void aFileWithoutAVaeIsRefused() {
        var e = assertThrows(UnsupportedModelException.class, () -> images(graph("shared/golden/lora/lora_a.safetensors")));
        assertTrue(e.getMessage().startsWith("no VAE in this file"), e.getMessage());
    }
}
