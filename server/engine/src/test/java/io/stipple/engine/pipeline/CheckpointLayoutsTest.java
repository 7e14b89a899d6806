package io.stipple.engine.pipeline;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.testing.TestBackend;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.RenamedParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorInfo;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint layouts people have beside the current one: an SD1.x checkpoint whose CLIP keys lack
 * "text_model." (ComfyUI renames them on loading), and one that carries EMA copies of the UNet
 * ("model_ema.*", which ComfyUI does not use). Both give the golden conditioning of clip_sd15.
 */
class CheckpointLayoutsTest {
    private final Ops ops = TestBackend.ops();

    /** The tiny SD1.5 file with its keys renamed by {@code rename} and, optionally, extra EMA-named copies. */
    private record Layout(ParameterSource inner, java.util.function.UnaryOperator<String> rename, java.util.function.UnaryOperator<String> back,
            boolean withEma) implements ParameterSource {
        @Override
        public Optional<Tensor> find(String key) {
            return inner.find(original(key));
        }

        @Override
        public Optional<TensorInfo> info(String key) {
            return inner.info(original(key)).map(i -> new TensorInfo(key, i.dtype(), i.shape()));
        }

        private String original(String key) {
            return key.startsWith("model_ema.") ? "model.diffusion_model." + key.substring("model_ema.".length()).replace('_', '.') : back.apply(key);
        }

        @Override
        public List<String> keys() {
            List<String> out = new ArrayList<>(inner.keys().stream().map(rename).toList());
            if (withEma) {
                inner.keys().stream().filter(k -> k.equals("model.diffusion_model.out.2.weight")).forEach(k -> out.add("model_ema.out_2_weight"));
            }
            return out;
        }
    }

    private static final String NEW = "cond_stage_model.transformer.text_model.";
    private static final String OLD = "cond_stage_model.transformer.";

    private float[] encode(ParameterSource weights) {
        StableDiffusionModel model = ModelLoader.load("sd15_tiny", weights, ops);
        return model.textEncoder().encode("a photo of a cat", 0).context().toArray();
    }

    @Test
    void clipKeysWithoutTextModelAreReadUnderComfyUisNames() {
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            ParameterSource file = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            ParameterSource old = new Layout(file, k -> k.startsWith(NEW) ? OLD + k.substring(NEW.length()) : k,
                    k -> k.startsWith(OLD) ? NEW + k.substring(OLD.length()) : k, false);
            assertEquals(true, old.has(OLD + "embeddings.token_embedding.weight"));
            ParameterSource renamed = RenamedParameters.comfyNames(old);
            assertEquals(true, renamed.has(NEW + "embeddings.token_embedding.weight"));
            assertEquals(false, renamed.has(OLD + "embeddings.token_embedding.weight"), "the old name is no longer seen");
            assertEquals(old.keys().size(), renamed.keys().size());
            assertCloseRelative("p0_cond", Golden.tensors("clip_sd15/data.safetensors").floats("p0_cond"), encode(old), 1e-4);
        }
    }

    @Test
    void emaCopiesAreLeftAloneAsComfyUiLeavesThem() {
        try (var index = TestModels.open("models/sd15_tiny.safetensors")) {
            ParameterSource file = new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32);
            ParameterSource withEma = new Layout(file, k -> k, k -> k, true);
            assertExact("cond", encode(file), encode(withEma));
            assertEquals(file.keys().size() + 1, withEma.keys().size());
        }
    }
}
