package io.stipple.engine.workflow;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.tensor.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * ModelSamplingDiscrete in a graph: v-prediction with and without zsnr gives ComfyUI's KSampler
 * latent of the ksampler_sd15_vpred and _zsnr cases (their seed, steps, cfg and prompts), also
 * with a LoRA added after it at strength 0; the samplings Stipple does not run are refused by name.
 */
class WorkflowModelSamplingTest {
    private static JsonObject graph(String sampling, boolean zsnr, boolean loraAfter) {
        String model = loraAfter ? "[\"10\", 0]" : "[\"9\", 0]";
        return JsonParser.parseString("""
                {"1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "shared/golden/models/sd15_tiny.safetensors"}},
                 "9": {"class_type": "ModelSamplingDiscrete", "inputs": {"model": ["1", 0], "sampling": "%s", "zsnr": %s}},
                 "10": {"class_type": "LoraLoaderModelOnly", "inputs": {"model": ["9", 0], "lora_name": "shared/golden/lora/lora_a.safetensors", "strength_model": 0.0}},
                 "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "a photo of a cat", "clip": ["1", 1]}},
                 "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry, low quality", "clip": ["1", 1]}},
                 "4": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
                 "5": {"class_type": "KSampler", "inputs": {"model": %s, "seed": 42, "steps": 6, "cfg": 7.0, "sampler_name": "euler",
                       "scheduler": "normal", "positive": ["2", 0], "negative": ["3", 0], "latent_image": ["4", 0], "denoise": 1.0}},
                 "8": {"class_type": "SaveLatent", "inputs": {"samples": ["5", 0], "filename_prefix": "output"}}}
                """.formatted(sampling, zsnr, model)).getAsJsonObject();
    }

    private static float[] latent(JsonObject graph) {
        try (GoldenResources resources = new GoldenResources()) {
            WorkflowResult result = new WorkflowExecutor(NodeRegistry.standard(), resources).run(GraphParser.parse(graph), WorkflowListener.NONE);
            return result.outputs().stream().filter(o -> o instanceof WorkflowOutput.Latent).map(WorkflowOutput.Latent.class::cast)
                    .findFirst().orElseThrow().latent().toArray();
        }
    }

    @Test
    void vPredictionGivesComfyUisLatent() {
        float[] want = Golden.tensors("ksampler_sd15_vpred/euler__normal.safetensors").floats("samples");
        assertCloseRelative("v_prediction", want, latent(graph("v_prediction", false, false)), 1e-3);
        assertCloseRelative("v_prediction, then a LoRA at 0", want, latent(graph("v_prediction", false, true)), 1e-3);
    }

    @Test
    void zeroTerminalSnrGivesComfyUisLatent() {
        float[] want = Golden.tensors("ksampler_sd15_vpred_zsnr/euler__normal.safetensors").floats("samples");
        assertCloseRelative("v_prediction zsnr", want, latent(graph("v_prediction", true, false)), 1e-3);
    }

    @Test
    void samplingsStippleDoesNotRunAreRefusedByName() {
        var e = assertThrows(RuntimeException.class, () -> latent(graph("lcm", false, false)));
        assertTrue(e.getMessage().contains("lcm (expected: eps or v_prediction"), e.getMessage());
    }
}
