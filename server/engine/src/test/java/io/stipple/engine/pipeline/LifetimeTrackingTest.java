package io.stipple.engine.pipeline;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.stipple.engine.image.ImageCodec;
import io.stipple.engine.image.Resize;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.TensorScope;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.LifetimeTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole SD1.5 and SDXL generations (the tiny e2e models: text-to-image, batch 2, clip skip,
 * image-to-image) on a backend with a tracking allocator: every scope (each denoise call, each text
 * encoding, each VAE decode and encode) frees all it allocated except what it returns; nothing is
 * freed twice or read after it was freed (that throws); and the latent is still ComfyUI's.
 */
class LifetimeTrackingTest {

    static Stream<Arguments> generations() {
        return Stream.of("sd15_euler_normal_64x64", "sd15_dpmpp_2m_karras_64x96_b2", "sd15_euler_ancestral_simple_clipskip2",
                        "sdxl_euler_normal_64x64", "sdxl_dpmpp_2m_karras_96x64", "sd15_img2img_euler_normal_d0p6")
                .flatMap(name -> Stream.of(WeightPolicy.values()).map(policy -> Arguments.of(name, policy)));
    }

    @ParameterizedTest
    @MethodSource("generations")
    void everyScopeFreesItsIntermediates(String name, WeightPolicy policy) throws IOException {
        JsonObject params = Golden.manifest("e2e/" + name).getAsJsonObject("params");
        LifetimeTracker tracker = new LifetimeTracker();
        CpuOps ops = new CpuOps(tracker);
        String modelFile = params.get("model").getAsString().replace("shared/golden/", "");
        try (TensorIndex index = TestModels.open(modelFile)) {
            StableDiffusionModel model = ModelLoader.load(name, new CheckpointParameters(index, ops, policy), ops);
            GenerationRequest.Init init = null;
            if (!params.get("init_image").isJsonNull()) {
                init = new GenerationRequest.FromImage(ImageCodec.decode(Files.readAllBytes(Golden.path("e2e/" + name + "/init.png"))),
                        Resize.Mode.CROP);
            }
            int clipSkip = params.get("clip_skip").isJsonNull() ? 0 : params.get("clip_skip").getAsInt();
            int steps = params.get("steps").getAsInt();
            var request = new GenerationRequest(params.get("prompt").getAsString(), params.get("negative").getAsString(),
                    params.get("width").getAsInt(), params.get("height").getAsInt(), params.get("batch").getAsInt(),
                    params.get("seed").getAsLong(), steps, params.get("cfg").getAsFloat(),
                    params.get("sampler").getAsString(), params.get("scheduler").getAsString(), params.get("denoise").getAsDouble(),
                    clipSkip, init, null, 0, 64);
            GenerationResult result = Pipeline.run(model, request, TestPlugins.sampler(request.sampler()),
                    TestPlugins.scheduler(request.scheduler()), GenerationListener.NONE);

            assertEquals(List.of(), tracker.violations());
            assertNull(TensorScope.current(), "the generation left a scope open");
            // two prompts encoded, a denoise (CFG, then UNet) per step, a VAE decode per image
            int atLeast = 2 + 2 * (int) Math.round(steps * request.denoise()) + request.batchSize();
            assertTrue(tracker.scopesClosed() >= atLeast, tracker.scopesClosed() + " scopes closed (expected: at least " + atLeast + ")");
            assertTrue(tracker.freed() * 2 > tracker.allocated(), "freed " + tracker.freed() + " of " + tracker.allocated()
                    + " storages: the scopes should free most of the work");
            assertCloseRelative("samples", Golden.tensors("e2e/" + name + "/data.safetensors").floats("samples"),
                    result.latent().toArray(), 1e-3);
        }
    }
}
