package io.stipple.engine.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.engine.pipeline.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** CLIPTextEncodeSDXL in a graph: it conditions an SDXL KSampler, and an SD1.5 model's CLIP is refused by name. */
class WorkflowClipTextEncodeSdxlTest {
    private static JsonObject graph(String checkpoint) {
        return JsonParser.parseString("""
                {"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "shared/golden/models/%s"}},
                 "2": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"clip": ["1", 1], "width": 1024, "height": 768, "crop_w": 0, "crop_h": 16,
                       "target_width": 1024, "target_height": 768, "text_g": "a photo of a cat", "text_l": "a cat"}},
                 "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["1", 1]}},
                 "4": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
                 "5": {"class_type": "KSampler", "inputs": {"model": ["1", 0], "seed": 3, "steps": 2, "cfg": 7.0, "sampler_name": "euler",
                       "scheduler": "normal", "positive": ["2", 0], "negative": ["3", 0], "latent_image": ["4", 0], "denoise": 1.0}},
                 "8": {"class_type": "SaveLatent", "inputs": {"samples": ["5", 0], "filename_prefix": "output"}}}
                """.formatted(checkpoint)).getAsJsonObject();
    }

    private static WorkflowResult run(JsonObject graph) {
        try (GoldenResources resources = new GoldenResources()) {
            return new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(graph), WorkflowListener.NONE);
        }
    }

    @Test
    void itConditionsAnSdxlSampler() {
        WorkflowResult result = run(graph("sdxl_tiny.safetensors"));
        assertEquals(1, result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Latent).count());
    }

    @Test
    void anSd15ClipIsRefused() {
        var e = assertThrows(InvalidRequestException.class, () -> run(graph("sd15_tiny.safetensors")));
        assertTrue(e.getMessage().contains("the CLIP of a sd15 model (expected: an SDXL model's"), e.getMessage());
    }
}
