package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.tensor.testing.Golden;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** UI-format files (ComfyUI's "Save") converted to the API format for the supported nodes. */
class WorkflowUiFormatTest {
    private static String resource(String name) throws IOException {
        try (InputStream in = WorkflowUiFormatTest.class.getResourceAsStream("/workflows/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void tutorialGraphBecomesComfyUisOwnApiGraph() throws IOException {
        JsonObject ui = JsonParser.parseString(resource("sd15_txt2img_ui.json")).getAsJsonObject();
        assertTrue(UiFormatConverter.isUiFormat(ui));
        JsonObject api = new UiFormatConverter(NodeRegistry.standard()).toApi(ui);
        JsonObject expected = Golden.manifest("e2e/sd15_euler_normal_64x64").getAsJsonObject("comfyui_api_prompt");
        // widget values are JSON numbers either way; compare as parsed graphs
        assertEquals(GraphParser.parse(expected.toString()), GraphParser.parse(normalised(api, expected).toString()), api.toString());
    }

    /** The UI file writes 7 where the API file has 7.0: the same number to ComfyUI, and to the validator. */
    private static JsonObject normalised(JsonObject api, JsonObject expected) {
        JsonObject copy = api.deepCopy();
        for (var node : expected.entrySet()) {
            JsonObject in = copy.getAsJsonObject(node.getKey()).getAsJsonObject("inputs");
            for (var input : node.getValue().getAsJsonObject().getAsJsonObject("inputs").entrySet()) {
                if (input.getValue().isJsonPrimitive() && input.getValue().getAsJsonPrimitive().isNumber() && in.has(input.getKey())
                        && in.get(input.getKey()).getAsDouble() == input.getValue().getAsDouble()) {
                    in.add(input.getKey(), input.getValue());
                }
            }
        }
        return copy;
    }

    @Test
    void convertedGraphGivesTheGoldenLatent() throws IOException {
        WorkflowGraph graph = GraphParser.parse(resource("sd15_txt2img_ui.json"), NodeRegistry.standard());
        try (GoldenResources resources = new GoldenResources()) {
            WorkflowResult result = new WorkflowExecutor(NodeRegistry.standard(), resources).run(graph, WorkflowListener.NONE);
            float[] latent = result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Latent)
                    .map(o -> ((WorkflowOutput.Latent) o).latent().toArray()).findFirst().orElseThrow();
            assertCloseRelative("samples", Golden.tensors("e2e/sd15_euler_normal_64x64/data.safetensors").floats("samples"), latent, 1e-3);
            assertEquals(2, result.outputs().size(), "the muted SaveImage does not run");
        }
    }

    @Test
    void bypassedAndUnknownNodesAreNamed() throws IOException {
        String ui = resource("sd15_txt2img_ui.json");
        var bypassed = assertThrows(WorkflowValidationException.class, () -> GraphParser.parse(
                ui.replace("\"order\": 6, \"mode\": 0", "\"order\": 6, \"mode\": 4"), NodeRegistry.standard()));
        assertTrue(bypassed.getMessage().startsWith("6: is bypassed"), bypassed.getMessage());
        assertTrue(bypassed.getMessage().endsWith("[VAEDecode]"), bypassed.getMessage());

        WorkflowGraph unknown = GraphParser.parse(ui.replace("\"type\": \"EmptyLatentImage\"", "\"type\": \"EmptySD3LatentImage\""),
                NodeRegistry.standard());
        try (GoldenResources resources = new GoldenResources()) {
            var e = assertThrows(WorkflowValidationException.class,
                    () -> new WorkflowExecutor(NodeRegistry.standard(), resources).validate(unknown));
            assertTrue(e.getMessage().startsWith("4: 'EmptySD3LatentImage' is not a node type Stipple runs"), e.getMessage());
        }
    }
}
