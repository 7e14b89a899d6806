package io.stipple.engine.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.pipeline.GenerationListener;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.Pipeline;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.tensor.cpu.CpuOps;
import io.stipple.tensor.testing.LifetimeTracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A merge on the fly on a tracking allocator: the merged weights are computed inside the first
 * step's scopes yet live for the model, so a second generation reads them again and gives the same
 * latent; every scope frees all its work but what it returns.
 */
class MergeLifetimeTrackingTest {

    @Test
    void mergedWeightsOutliveTheStepThatMadeThem() {
        LifetimeTracker tracker = new LifetimeTracker();
        CpuOps ops = new CpuOps(tracker);
        try (TensorIndex indexA = TestModels.open(MergeFixtures.SD15); TensorIndex indexB = TestModels.open(MergeFixtures.SD15_B)) {
            MergeModel a = new MergeModel("sd15_tiny.safetensors", new CheckpointParameters(indexA, ops, WeightPolicy.AS_STORED));
            MergeModel b = new MergeModel("sd15_tiny_b.safetensors", new CheckpointParameters(indexB, ops, WeightPolicy.AS_STORED));
            MergedParameters merged = MergedParameters.create(MergeRecipe.unetWeightedSum(0.3), a, b, ops);
            StableDiffusionModel model = ModelLoader.load("sd15_tiny + sd15_tiny_b", merged, ops);
            var request = new GenerationRequest("a photo of a cat", "blurry", 64, 64, 1, 42, 3, 7f, "euler", "normal", 1.0,
                    0, null, null, 0, 64);
            float[] first = Pipeline.run(model, request, TestPlugins.sampler("euler"), TestPlugins.scheduler("normal"),
                    GenerationListener.NONE).latent().toArray();
            float[] second = Pipeline.run(model, request, TestPlugins.sampler("euler"), TestPlugins.scheduler("normal"),
                    GenerationListener.NONE).latent().toArray();
            assertArrayEquals(first, second);
            assertEquals(List.of(), tracker.violations());
            assertTrue(tracker.scopesClosed() > 6, tracker.scopesClosed() + " scopes");
        }
    }
}
