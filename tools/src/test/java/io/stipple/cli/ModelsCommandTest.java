package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.proto.v1.ModelInfo;
import org.junit.jupiter.api.Test;

class ModelsCommandTest {
    @Test
    void aModelsCardIsItsTitleAndDescriptionOrWhatThereIsOfThem() {
        assertEquals("Shapes: draws shapes", ModelsCommand.card(ModelInfo.newBuilder().setTitle("Shapes").setDescription("draws shapes").build()));
        assertEquals("Shapes", ModelsCommand.card(ModelInfo.newBuilder().setTitle("Shapes").build()));
        assertEquals("draws shapes", ModelsCommand.card(ModelInfo.newBuilder().setDescription("draws shapes").build()));
        assertEquals("", ModelsCommand.card(ModelInfo.getDefaultInstance()));
    }
}
