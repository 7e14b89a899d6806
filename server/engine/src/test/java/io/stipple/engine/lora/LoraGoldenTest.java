package io.stipple.engine.lora;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.gson.JsonObject;
import io.stipple.engine.model.unet.UNetModel;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.Weights;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ComfyUI's LoraLoader on the tiny SD1.5 model (testdata/golden/lora): lora_a alone at 0.8 / 1.0,
 * and lora_a then lora_b at 0.5 / 0.5 each; patched UNet and CLIP weights, the patched UNet's
 * forward and the patched text encoder's conditioning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoraGoldenTest {
    private final Ops ops = TestBackend.ops();
    private final GoldenTensors g = Golden.tensors("lora/data.safetensors");
    private final JsonObject manifest = Golden.manifest("lora");
    private LoraTesting model;
    private LoadedLora loraA;
    private LoadedLora loraB;

    @BeforeAll
    void open() {
        model = new LoraTesting("models/sd15_tiny.safetensors", ops);
        loraA = model.load("lora/lora_a.safetensors");
        loraB = model.load("lora/lora_b.safetensors");
    }

    @AfterAll
    void close() {
        model.close();
    }

    private ParameterSource tagged(String tag) {
        return switch (tag) {
            case "base" -> model.params;
            case "single" -> new PatchedParameters(model.params, List.of(new AppliedLora(loraA, 0.8, 1.0)));
            case "stacked" -> new PatchedParameters(model.params,
                    List.of(new AppliedLora(loraA, 0.5, 0.5), new AppliedLora(loraB, 0.5, 0.5)));
            default -> throw new IllegalArgumentException(tag);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "single", "stacked"})
    void patchedWeightsMatchComfyUi(String tag) {
        ParameterSource weights = tagged(tag);
        int checked = 0;
        for (Map.Entry<String, com.google.gson.JsonElement> e : manifest.getAsJsonObject("lora_key_to_weight").entrySet()) {
            String comfy = e.getValue().getAsString();
            String part = comfy.startsWith("diffusion_model.") ? "unet" : "clip";
            String expected = tag + "/" + part + "/" + comfy;
            // patched weights: one matrix product and one multiply-add per element, as torch does them
            assertCloseRelative(expected, g.floats(expected), weights.get(checkpointName(comfy)).toArray(), 1e-6);
            checked++;
        }
        assertEquals(7, checked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "single", "stacked"})
    void patchedUnetMatchesComfyUi(String tag) {
        var unet = new UNetModel(model.architecture.unet(), Weights.of(tagged(tag), model.architecture.unetPrefix()));
        Tensor eps = unet.forward(tensor("x"), g.floats("timesteps"), tensor("context"), null);
        assertCloseRelative(tag + "/eps", g.floats(tag + "/eps"), eps.toArray(), 1e-4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "single", "stacked"})
    void patchedTextEncoderMatchesComfyUi(String tag) {
        StableDiffusionModel sd = ModelLoader.load(tag, tagged(tag), ops);
        Tensor cond = sd.textEncoder().encode(manifest.get("prompt").getAsString(), 0).context();
        assertCloseRelative(tag + "/cond", g.floats(tag + "/cond"), cond.toArray(), 1e-4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single", "stacked"})
    void weightsNoLoraTouchesAreTheBaseTensors(String tag) {
        String key = "model.diffusion_model.out.2.weight";
        assertSame(model.params.get(key), tagged(tag).get(key));
    }

    private Tensor tensor(String name) {
        return ops.fromArray(g.floats(name), Shape.of(g.shape(name)));
    }

    /** ComfyUI's internal names -> the SD1.5 checkpoint's. */
    static String checkpointName(String comfy) {
        if (comfy.startsWith("diffusion_model.")) {
            return "model." + comfy;
        }
        if (comfy.startsWith("clip_l.transformer.")) {
            return "cond_stage_model.transformer." + comfy.substring("clip_l.transformer.".length());
        }
        throw new IllegalArgumentException("no checkpoint name for " + comfy);
    }
}
