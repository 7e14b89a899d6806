package io.stipple.engine.pipeline;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.stipple.engine.image.ImageCodec;
import io.stipple.engine.image.Pixels;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The e2e cases without LoRA, through the engine's pipeline: prompt text in, latent and pixels out. */
class EndToEndGoldenTest {
    private final Ops ops = TestBackend.ops();

    @ParameterizedTest
    @ValueSource(strings = {"sd15_euler_normal_64x64", "sd15_dpmpp_2m_karras_64x96_b2", "sd15_euler_ancestral_simple_clipskip2",
        "sdxl_euler_normal_64x64", "sdxl_dpmpp_2m_karras_96x64", "sd15_img2img_euler_normal_d0p6"})
    void matchesComfyUi(String name) throws IOException {
        JsonObject params = Golden.manifest("e2e/" + name).getAsJsonObject("params");
        GoldenTensors g = Golden.tensors("e2e/" + name + "/data.safetensors");
        String modelFile = params.get("model").getAsString().replace("shared/golden/", "");
        try (TensorIndex index = TestModels.open(modelFile)) {
            StableDiffusionModel model = ModelLoader.load(name, new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
            GenerationRequest.Init init = null;
            if (!params.get("init_image").isJsonNull()) {
                RgbImage image = ImageCodec.decode(Files.readAllBytes(Golden.path("e2e/" + name + "/init.png")));
                init = new GenerationRequest.FromImage(image, Resize.Mode.CROP);
            }
            int clipSkip = params.get("clip_skip").isJsonNull() ? 0 : params.get("clip_skip").getAsInt();
            var request = new GenerationRequest(params.get("prompt").getAsString(), params.get("negative").getAsString(),
                    params.get("width").getAsInt(), params.get("height").getAsInt(), params.get("batch").getAsInt(),
                    params.get("seed").getAsLong(), params.get("steps").getAsInt(), params.get("cfg").getAsFloat(),
                    params.get("sampler").getAsString(), params.get("scheduler").getAsString(), params.get("denoise").getAsDouble(),
                    clipSkip, init, null, 0, 64);
            GenerationResult result = Pipeline.run(model, request, TestPlugins.sampler(request.sampler()),
                    TestPlugins.scheduler(request.scheduler()), GenerationListener.NONE);
            assertCloseRelative("sigmas", g.floats("sigmas"), result.sigmas(), 1e-6);
            assertCloseRelative("samples", g.floats("samples"), result.latent().toArray(), 1e-3);
            float[] image = Pixels.unitFloats(model.vae().decode(result.latent()));
            assertClose("image", g.floats("image"), image, 1e-3);
            List<RgbImage> images = result.images();
            float[] png = g.floats("png");
            int per = images.get(0).rgb().length;
            assertEquals(g.shape("png")[0], images.size());
            for (int b = 0; b < images.size(); b++) {
                float[] actual = new float[per];
                byte[] rgb = images.get(b).rgb();
                for (int i = 0; i < per; i++) {
                    actual[i] = rgb[i] & 0xff;
                }
                assertClose("png[" + b + "]", java.util.Arrays.copyOfRange(png, b * per, (b + 1) * per), actual, 1.0);
            }
        }
    }
}
