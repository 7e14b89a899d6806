package io.stipple.engine.conditioning;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.sampling.SdxlSizeConditioning;
import io.stipple.engine.testing.TestBackend;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ComfyUI's CLIPTextEncodeSDXL (case clip_sdxl_node): separate text_g and text_l, the shorter padded
 * with empty-prompt chunks, within 1e-4; and the ADM vector its size inputs give, as sampling builds it.
 */
class ClipTextEncodeSdxlGoldenTest {
    private final Ops ops = TestBackend.ops();

    @ParameterizedTest
    @ValueSource(strings = {"short_g_long_l", "long_g_short_l", "both_weighted"})
    void matchesComfyUi(String name) {
        GoldenTensors g = Golden.tensors("clip_sdxl_node/data.safetensors");
        JsonObject c = Golden.manifest("clip_sdxl_node").getAsJsonObject("cases").getAsJsonObject(name);
        JsonArray size = c.getAsJsonArray("size"); // width, height, crop_w, crop_h, target_width, target_height
        try (var index = TestModels.open("models/sdxl_tiny.safetensors")) {
            StableDiffusionModel model = ModelLoader.load("sdxl_tiny", new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops);
            SdxlTextEncoder encoder = (SdxlTextEncoder) model.textEncoder();
            EncodedPrompt e = encoder.encode(c.get("text_g").getAsString(), c.get("text_l").getAsString(), 0);
            assertCloseRelative(name + "_cond", g.floats(name + "_cond"), e.context().toArray(), 1e-4);
            assertCloseRelative(name + "_pooled", g.floats(name + "_pooled"), e.pooled().toArray(), 1e-4);
            var adm = new SdxlSizeConditioning(size.get(0).getAsInt(), size.get(1).getAsInt(), size.get(3).getAsInt(), size.get(2).getAsInt(),
                    size.get(4).getAsInt(), size.get(5).getAsInt());
            assertCloseRelative(name + "_adm_y", g.floats(name + "_adm_y"), adm.adm(e.pooled()).toArray(), 1e-4);
        }
    }
}
