package io.stipple.engine.conditioning;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Prompt text in, conditioning out: tokenizer, weighting and CLIP together against ComfyUI's CLIPTextEncode. */
class TextEncoderGoldenTest {
    private final Ops ops = TestBackend.ops();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void sd15(int p) {
        GoldenTensors g = Golden.tensors("clip_sd15/data.safetensors");
        String prompt = Golden.manifest("clip_sd15").getAsJsonObject("prompts").get("p" + p).getAsString();
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            StableDiffusionModel model = ModelLoader.load("sd15_tiny", new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
            assertEquals(ModelFamily.SD15, model.family());
            assertCloseRelative("p" + p + "_cond", g.floats("p" + p + "_cond"), model.textEncoder().encode(prompt, 0).context().toArray(), 1e-4);
            assertCloseRelative("p" + p + "_cond_clipskip2", g.floats("p" + p + "_cond_clipskip2"),
                    model.textEncoder().encode(prompt, -2).context().toArray(), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void sdxl(int p) {
        GoldenTensors g = Golden.tensors("clip_sdxl/data.safetensors");
        String prompt = Golden.manifest("clip_sdxl").getAsJsonObject("prompts").get("p" + p).getAsString();
        try (var index = TestModels.open("models/sdxl_tiny.safetensors")) {
            StableDiffusionModel model = ModelLoader.load("sdxl_tiny", new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
            assertEquals(ModelFamily.SDXL, model.family());
            EncodedPrompt e = model.textEncoder().encode(prompt, 0);
            assertCloseRelative("p" + p + "_cond", g.floats("p" + p + "_cond"), e.context().toArray(), 1e-4);
            assertCloseRelative("p" + p + "_pooled", g.floats("p" + p + "_pooled"), e.pooled().toArray(), 1e-4);
        }
    }
}
