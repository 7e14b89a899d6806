package io.stipple.engine.lora;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.engine.image.Pixels;
import io.stipple.engine.pipeline.GenerationListener;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.GenerationResult;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.Pipeline;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The e2e cases with LoRAs (LoraLoader nodes before CLIPTextEncode and KSampler), through the engine's pipeline. */
class LoraEndToEndGoldenTest {
    private final Ops ops = TestBackend.ops();

    @ParameterizedTest
    @ValueSource(strings = {"sd15_lora_a_0p8_1p0", "sd15_lora_a_b_stacked_0p5"})
    void matchesComfyUi(String name) {
        JsonObject params = Golden.manifest("e2e/" + name).getAsJsonObject("params");
        GoldenTensors g = Golden.tensors("e2e/" + name + "/data.safetensors");
        String modelFile = params.get("model").getAsString().replace("shared/golden/", "");
        try (LoraTesting base = new LoraTesting(modelFile, ops)) {
            List<AppliedLora> loras = new ArrayList<>();
            for (JsonElement e : params.getAsJsonArray("loras")) {
                JsonObject l = e.getAsJsonObject();
                LoadedLora lora = base.load(l.get("file").getAsString().replace("shared/golden/", ""));
                loras.add(new AppliedLora(lora, l.get("strength_model").getAsDouble(), l.get("strength_clip").getAsDouble()));
            }
            StableDiffusionModel model = ModelLoader.load(name, new PatchedParameters(base.params, loras), ops);
            var request = new GenerationRequest(params.get("prompt").getAsString(), params.get("negative").getAsString(),
                    params.get("width").getAsInt(), params.get("height").getAsInt(), params.get("batch").getAsInt(),
                    params.get("seed").getAsLong(), params.get("steps").getAsInt(), params.get("cfg").getAsFloat(),
                    params.get("sampler").getAsString(), params.get("scheduler").getAsString(), params.get("denoise").getAsDouble(),
                    0, null, null, 0, 64);
            GenerationResult result = Pipeline.run(model, request, TestPlugins.sampler(request.sampler()),
                    TestPlugins.scheduler(request.scheduler()), GenerationListener.NONE);
            assertCloseRelative("samples", g.floats("samples"), result.latent().toArray(), 1e-3);
            assertClose("image", g.floats("image"), Pixels.unitFloats(model.vae().decode(result.latent())), 1e-3);
            float[] png = g.floats("png");
            byte[] rgb = result.images().getFirst().rgb();
            assertEquals(png.length, rgb.length);
            float[] actual = new float[rgb.length];
            for (int i = 0; i < rgb.length; i++) {
                actual[i] = rgb[i] & 0xff;
            }
            assertClose("png", png, actual, 1.0);
        }
    }
}
