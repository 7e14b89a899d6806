package io.stipple.engine.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.testing.TestModels;
import io.stipple.plugin.api.TensorIndex;
import io.stipple.plugin.api.TensorInfo;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Which component each checkpoint key belongs to, in SD1.5 and SDXL layouts. */
class ModelComponentTest {

    @Test
    void sd15Keys() {
        assertEquals(Optional.of(ModelComponent.UNET), ModelComponent.of("model.diffusion_model.out.2.weight"));
        assertEquals(Optional.of(ModelComponent.TEXT_ENCODER),
                ModelComponent.of("cond_stage_model.transformer.text_model.embeddings.position_ids"));
        assertEquals(Optional.of(ModelComponent.VAE), ModelComponent.of("first_stage_model.decoder.conv_out.weight"));
    }

    @Test
    void sdxlKeys() {
        assertEquals(Optional.of(ModelComponent.UNET), ModelComponent.of("model.diffusion_model.label_emb.0.0.weight"));
        assertEquals(Optional.of(ModelComponent.TEXT_ENCODER),
                ModelComponent.of("conditioner.embedders.0.transformer.text_model.final_layer_norm.weight"));
        assertEquals(Optional.of(ModelComponent.TEXT_ENCODER), ModelComponent.of("conditioner.embedders.1.model.text_projection"));
    }

    @Test
    void keysOutsideAllComponents() {
        for (String key : new String[] {"alphas_cumprod", "betas", "model_ema.decay", "model_ema.diffusion_modelout2weight",
                "model.diffusion_modelx", "first_stage_model_extra"}) {
            assertEquals(Optional.empty(), ModelComponent.of(key), key);
        }
    }

    @Test
    void everyKeyOfTheTinyCheckpointsHasAComponent() {
        for (String file : new String[] {MergeFixtures.SD15, MergeFixtures.SDXL}) {
            Map<ModelComponent, Integer> counts = new TreeMap<>();
            try (TensorIndex index = TestModels.open(file)) {
                for (TensorInfo t : index.tensors()) {
                    counts.merge(ModelComponent.of(t.name()).orElseThrow(() -> new AssertionError(file + ": " + t.name())), 1, Integer::sum);
                }
            }
            assertEquals(3, counts.size(), file + ": " + counts);
            assertTrue(counts.values().stream().allMatch(n -> n > 10), file + ": " + counts);
        }
    }
}
