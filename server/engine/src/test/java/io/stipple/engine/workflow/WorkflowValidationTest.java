package io.stipple.engine.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.tensor.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graphs refused before anything runs: every problem named by node id, class_type and input, in ComfyUI's node_errors shape. */
class WorkflowValidationTest {
    private static JsonObject base() {
        return Golden.manifest("e2e/sd15_euler_normal_64x64").getAsJsonObject("comfyui_api_prompt").deepCopy();
    }

    private static JsonArray link(String id, int output) {
        JsonArray a = new JsonArray();
        a.add(id);
        a.add(output);
        return a;
    }

    private static WorkflowValidationException refused(JsonObject graph, GoldenResources resources) {
        return assertThrows(WorkflowValidationException.class,
                () -> new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(graph.toString()), WorkflowListener.NONE));
    }

    private static WorkflowValidationException refused(JsonObject graph) {
        try (GoldenResources resources = new GoldenResources()) {
            WorkflowValidationException e = refused(graph, resources);
            assertEquals(List.of(), resources.loadedCheckpoints, "nothing runs before the graph is checked");
            return e;
        }
    }

    private static InputError only(WorkflowValidationException e, String node) {
        NodeError n = e.nodeErrors().stream().filter(x -> x.nodeId().equals(node)).findFirst()
                .orElseThrow(() -> new AssertionError("no error for node " + node + ": " + e.getMessage()));
        assertEquals(1, n.errors().size(), e.getMessage());
        return n.errors().get(0);
    }

    @Test
    void unknownNodeTypeIsNamed() {
        JsonObject g = base();
        g.getAsJsonObject("5").addProperty("class_type", "KSamplerTurbo");
        var e = refused(g);
        InputError error = only(e, "5");
        assertEquals("invalid_class_type", error.type());
        assertTrue(e.getMessage().startsWith("5: 'KSamplerTurbo' is not a node type Stipple runs"), e.getMessage());
    }

    @Test
    void inpaintingNodeIsRefusedByName() {
        JsonObject g = base();
        JsonObject inpaint = JsonParser.parseString("{\"class_type\": \"VAEEncodeForInpaint\", \"inputs\": {\"grow_mask_by\": 6}}")
                .getAsJsonObject();
        g.add("30", inpaint);
        var e = refused(g);
        assertEquals("unsupported_node", only(e, "30").type());
        assertTrue(e.getMessage().contains("30: VAEEncodeForInpaint is not supported: inpainting"), e.getMessage());
        assertTrue(e.getMessage().contains("[VAEEncodeForInpaint]"), e.getMessage());
    }

    @Test
    void outOfRangeValueSaysTheValueAndTheRange() {
        JsonObject g = base();
        g.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("steps", 0);
        var e = refused(g);
        assertEquals("value_smaller_than_min", only(e, "5").type());
        assertEquals("steps", only(e, "5").input());
        assertEquals("5.inputs.steps: 0 (expected: 1 to 10000) [KSampler]", e.getMessage());
        assertEquals("5.inputs.steps", e.field());
    }

    @Test
    void aPromptWithANonFiniteWeightIsRefusedAsGenerateRefusesIt() {
        JsonObject g = base();
        String encoder = g.entrySet().stream().filter(e -> e.getValue().getAsJsonObject().get("class_type").getAsString()
                .equals("CLIPTextEncode")).findFirst().orElseThrow().getKey();
        g.getAsJsonObject(encoder).getAsJsonObject("inputs").addProperty("text", "a (cat:nan)");
        var e = refused(g);
        assertEquals("value_not_valid", only(e, encoder).type());
        assertEquals(encoder + ".inputs.text: the weight NaN of cat (expected: a finite number from -100.0 to 100.0) [CLIPTextEncode]",
                e.getMessage());
    }

    @Test
    void mistypedAndMissingInputs() {
        JsonObject g = base();
        g.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("cfg", "lots");
        g.getAsJsonObject("5").getAsJsonObject("inputs").remove("model");
        g.getAsJsonObject("4").getAsJsonObject("inputs").addProperty("width", 64.5);
        g.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("sampler_name", "euler_turbo");
        var e = refused(g);
        NodeError ks = e.nodeErrors().stream().filter(n -> n.nodeId().equals("5")).findFirst().orElseThrow();
        assertEquals(List.of("required_input_missing:model", "invalid_input_type:cfg", "value_not_in_list:sampler_name"),
                ks.errors().stream().map(x -> x.type() + ":" + x.input()).toList());
        assertEquals("invalid_input_type", only(e, "4").type());
        assertTrue(e.getMessage().contains("5.inputs.sampler_name: 'euler_turbo' (expected: one of "), e.getMessage());
        assertTrue(e.getMessage().contains("4.inputs.width: 64.5 (expected: an integer, 16 to 16384) [EmptyLatentImage]"), e.getMessage());
    }

    @Test
    void linksToMissingNodesOutputsOrTypes() {
        JsonObject g = base();
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("positive", link("1", 0));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("negative", link("99", 0));
        g.getAsJsonObject("6").getAsJsonObject("inputs").add("vae", link("1", 7));
        var e = refused(g);
        NodeError ks = e.nodeErrors().stream().filter(n -> n.nodeId().equals("5")).findFirst().orElseThrow();
        assertEquals(List.of("return_type_mismatch:positive", "bad_linked_input:negative"),
                ks.errors().stream().map(x -> x.type() + ":" + x.input()).toList());
        assertTrue(e.getMessage().contains("5.inputs.positive: [\"1\", 0] is CheckpointLoaderSimple output 0, a MODEL (expected: CONDITIONING)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("links to node 99, which is not in the workflow"), e.getMessage());
        assertTrue(e.getMessage().contains("6.inputs.vae: [\"1\", 7] links to output 7 of node 1 (CheckpointLoaderSimple), which has 3 outputs"),
                e.getMessage());
        assertEquals(List.of("7"), e.nodeErrors().stream().filter(n -> n.nodeId().equals("6")).findFirst().orElseThrow().dependentOutputs());
    }

    @Test
    void cycleIsNamed() {
        JsonObject g = base();
        // the sampler's latent comes from its own decode, re-encoded
        g.add("9", JsonParser.parseString("{\"class_type\": \"VAEEncode\", \"inputs\": {\"pixels\": [\"6\", 0], \"vae\": [\"1\", 2]}}"));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("latent_image", link("9", 0));
        var e = refused(g);
        assertEquals("dependency_cycle", only(e, "9").type());
        assertTrue(e.getMessage().contains("is part of a cycle"), e.getMessage());
    }

    @Test
    void missingCheckpointAndLoraNameTheNodeAndTheFile() {
        JsonObject g = Golden.manifest("e2e/sd15_lora_a_0p8_1p0").getAsJsonObject("comfyui_api_prompt").deepCopy();
        g.getAsJsonObject("1").getAsJsonObject("inputs").addProperty("ckpt_name", "nope.safetensors");
        g.getAsJsonObject("10").getAsJsonObject("inputs").addProperty("lora_name", "missing_lora.safetensors");
        var e = refused(g);
        assertTrue(e.getMessage().contains("1.inputs.ckpt_name: 'nope.safetensors': no such checkpoint file [CheckpointLoaderSimple]"),
                e.getMessage());
        assertTrue(e.getMessage().contains("10.inputs.lora_name: 'missing_lora.safetensors': no such lora file [LoraLoader]"),
                e.getMessage());
    }

    @Test
    void graphWithoutOutputsAndTextThatIsNotAGraph() {
        JsonObject g = base();
        g.remove("7");
        g.remove("8");
        assertEquals("prompt_no_outputs", refused(g).type());
        var notJson = assertThrows(WorkflowValidationException.class, () -> GraphParser.parse("{\"1\": "));
        assertEquals("invalid_prompt", notJson.type());
        var noClass = assertThrows(WorkflowValidationException.class, () -> GraphParser.parse("{\"1\": {\"inputs\": {}}}"));
        assertEquals("1: class_type is missing (expected: a node type name) [?]", noClass.getMessage());
    }

    @Test
    void nodeErrorsJsonHasComfyUisShape() {
        JsonObject g = base();
        g.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("steps", 0);
        JsonObject body = refused(g).toJson();
        assertEquals("prompt_outputs_failed_validation", body.getAsJsonObject("error").get("type").getAsString());
        JsonObject node = body.getAsJsonObject("node_errors").getAsJsonObject("5");
        assertEquals("KSampler", node.get("class_type").getAsString());
        JsonObject error = node.getAsJsonArray("errors").get(0).getAsJsonObject();
        assertEquals("value_smaller_than_min", error.get("type").getAsString());
        assertEquals("steps", error.getAsJsonObject("extra_info").get("input_name").getAsString());
        assertEquals("[\"7\",\"8\"]", node.getAsJsonArray("dependent_outputs").toString());
    }
}
