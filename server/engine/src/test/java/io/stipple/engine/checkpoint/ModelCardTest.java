package io.stipple.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelCardTest {
    @Test
    void theModelSpecKeysGiveTitleDescriptionAndSize() {
        var card = ModelCard.of(Map.of("modelspec.title", " Dream ", "modelspec.description", "a fine-tune",
                "modelspec.resolution", "768x512", "recommended", "64x64"));
        assertEquals(Optional.of("Dream"), card.title());
        assertEquals(Optional.of("a fine-tune"), card.description());
        assertEquals(Optional.of(new ModelCard.Size(768, 512)), card.recommendedSize(), "modelspec.resolution comes first");
    }

    @Test
    void theDemoModelsRecommendedTextGivesItsSize() {
        var card = ModelCard.of(Map.of("modelspec.title", "stipple-demo-shapes",
                "recommended", "64x64, euler/normal, 20 steps, cfg 6, negative prompt empty"));
        assertEquals(Optional.of(new ModelCard.Size(64, 64)), card.recommendedSize());
        assertEquals(Optional.empty(), card.description());
        assertEquals("64x64", card.recommendedSize().orElseThrow().toString());
    }

    @Test
    void sizesARequestWouldRefuseAndOtherTextAreLeftOut() {
        for (String text : new String[] {"60x60", "4096x4096", "32x32", "euler, 64x64", "64x", "x64", "640000x64", "  ", "1024"}) {
            assertEquals(Optional.empty(), ModelCard.size(text), text);
        }
        assertEquals(Optional.of(new ModelCard.Size(512, 768)), ModelCard.size("512 × 768 (portrait)"));
    }

    @Test
    void noMetadataIsAnEmptyCard() {
        assertEquals(ModelCard.EMPTY, ModelCard.of(Map.of()));
        assertEquals(ModelCard.EMPTY, ModelCard.of(Map.of("modelspec.title", " ", "format", "pt")));
    }
}
