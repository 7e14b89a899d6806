package io.stipple.engine.merge;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static io.stipple.tensor.testing.TensorAssert.assertExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.detect.ModelFamily;
import io.stipple.engine.model.unet.UNetModel;
import io.stipple.engine.model.unet.UnetConfig;
import io.stipple.engine.model.unet.UnetConfig.AttentionHeads;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.ParameterSource;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.engine.weights.Weights;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Shape;
import io.stipple.tensor.Tensor;
import io.stipple.engine.testing.TestBackend;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The merge on the fly against ComfyUI (testdata/golden/merge): ModelMergeSimple ratio 0.3,
 * ModelAdd and ModelSubtract (multiplier 1) of sd15_tiny and sd15_tiny_b. Merged weights are
 * float32 computations in ComfyUI's order and must match bit for bit; the merged UNet's forward
 * within 1e-4 of the tensor's largest value.
 */
class MergeGoldenTest {
    private static final String UNET = MergeFixtures.UNET;
    private final Ops ops = TestBackend.ops();
    private final GoldenTensors golden = Golden.tensors("merge/data.safetensors");
    private TensorIndex indexA;
    private TensorIndex indexB;
    private MergeModel a;
    private MergeModel b;

    @BeforeEach
    void open() {
        indexA = TestModels.open(MergeFixtures.SD15);
        indexB = TestModels.open(MergeFixtures.SD15_B);
        a = new MergeModel("sd15_tiny.safetensors", new CheckpointParameters(indexA, ops, WeightPolicy.AS_STORED));
        b = new MergeModel("sd15_tiny_b.safetensors", new CheckpointParameters(indexB, ops, WeightPolicy.AS_STORED));
    }

    @AfterEach
    void close() {
        indexA.close();
        indexB.close();
    }

    @Test
    void modelMergeSimpleMatchesComfyUi() {
        MergedParameters merged = MergedParameters.create(MergeRecipe.unetWeightedSum(0.3), a, b, ops);
        assertEquals(ModelFamily.SD15, merged.plan().family());
        assertEquals(List.of(), merged.plan().warnings(), "every UNet key is in both; text encoder and VAE are copied from A");
        check("simple", merged);
    }

    @Test
    void modelAddMatchesComfyUi() {
        check("add", comfyPatch(m -> new WeightOp.Linear(1f, 1f)));
    }

    @Test
    void modelSubtractMatchesComfyUi() {
        // ModelSubtract(multiplier): add_patches(B, -multiplier, multiplier)
        double multiplier = 1.0;
        check("subtract", comfyPatch(m -> new WeightOp.Linear((float) multiplier, (float) -multiplier)));
    }

    @Test
    void onTheFlyMergeLoadsAsAModelWithModelAsTextEncoderAndVae() {
        MergedParameters merged = MergedParameters.create(MergeRecipe.unetWeightedSum(0.3), a, b, ops);
        StableDiffusionModel model = ModelLoader.load("sd15_tiny + sd15_tiny_b", merged, ops);
        assertEquals(ModelFamily.SD15, model.family());
        Tensor eps = model.unet().forward(tensor("x"), golden.floats("timesteps"), tensor("context"), null);
        assertCloseRelative("simple/eps through ModelLoader", golden.floats("simple/eps"), eps.toArray(), 1e-4);
        for (String key : List.of("cond_stage_model.transformer.text_model.final_layer_norm.weight",
                "first_stage_model.decoder.conv_out.weight")) {
            assertExact(key + " is model A's", MergeFixtures.floats(indexA, key), merged.get(key).toArray());
            assertTrue(!merged.plan().isComputed(key), key + " is copied, not computed");
        }
    }

    @Test
    void eachMergedWeightIsComputedOnce() {
        MergedParameters merged = MergedParameters.create(MergeRecipe.unetWeightedSum(0.3), a, b, ops);
        String key = UNET + "out.2.weight";
        Tensor first = merged.get(key);
        assertTrue(first == merged.get(key), "the second read returns the cached tensor");
        merged.dropMerged();
        Tensor again = merged.get(key);
        assertTrue(first != again, "dropMerged forgets it");
        assertExact(key, first.toArray(), again.toArray());
    }

    /** ComfyUI's ModelAdd/ModelSubtract: add_patches over the UNet with other strengths, through the same machinery. */
    private MergedParameters comfyPatch(DoubleFunction<WeightOp.Computed> formula) {
        MergeRecipe unetOnly = MergeRecipe.unetWeightedSum(1.0); // the ratio is unused: the formula replaces it
        return MergedParameters.of(MergePlanner.plan(unetOnly, a, b, null, formula), a, b, null, ops);
    }

    private void check(String kind, ParameterSource merged) {
        int weights = 0;
        for (String name : golden.names()) {
            if (name.startsWith(kind + "/diffusion_model.")) {
                String key = "model." + name.substring(kind.length() + 1);
                assertExact(name, golden.floats(name), merged.get(key).toArray());
                weights++;
            }
        }
        assertTrue(weights >= 20, kind + ": " + weights + " golden weights (expected: every 12th of 286)");
        UnetConfig config = UnetConfig.detectFrom(merged, UNET, AttentionHeads.count(8)).orElseThrow();
        UNetModel unet = new UNetModel(config, Weights.of(merged, UNET));
        Tensor eps = unet.forward(tensor("x"), golden.floats("timesteps"), tensor("context"), null);
        assertCloseRelative(kind + "/eps", golden.floats(kind + "/eps"), eps.toArray(), 1e-4);
    }

    private Tensor tensor(String name) {
        return ops.fromArray(golden.floats(name), Shape.of(golden.shape(name)));
    }
}
