package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How embeddings fill a chunk's slots, and an embedding of another width than the encoder's (an
 * SD1.5 file under SDXL's bigG): its slots leave the chunk, the tokens after it move up and padding
 * fills the end, with the weights where they were. Checked against our transcription of ComfyUI's
 * process_tokens (the tiny models' two encoders are equally wide, so no golden has this case).
 */
class EmbeddingSlotsTest {
    private static final float[][] TWO_OF_4 = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    private static final EmbeddingLookup LOOKUP = name -> name.equals("two") ? Optional.of(TWO_OF_4) : Optional.empty();

    @Test
    void eachVectorFillsOneSlotWithTheStretchsWeight() {
        TokenizedPrompt t = PromptTokenizer.clipL().tokenize("(embedding:two:1.5) cat", LOOKUP, 4);
        TokenChunk c = t.chunk(0);
        assertArrayEquals(TWO_OF_4[0], c.vectors()[1]);
        assertArrayEquals(TWO_OF_4[1], c.vectors()[2]);
        assertNull(c.vectors()[3]);
        assertEquals(1.5f, c.weight(1));
        assertEquals(1.5f, c.weight(2));
        assertEquals(0, c.id(1), "a vector's slot holds id 0, never the end token");
        assertEquals(List.of(), t.droppedEmbeddings());
        assertEquals(List.of(), t.mismatchedEmbeddings());
    }

    @Test
    void anEmbeddingOfAnotherWidthLeavesItsSlotsAndThePromptMovesUp() {
        PromptTokenizer g = PromptTokenizer.clipG();
        TokenizedPrompt fitting = g.tokenize("(embedding:two:1.5) cat", LOOKUP, 4);
        TokenizedPrompt other = g.tokenize("(embedding:two:1.5) cat", LOOKUP, 8);
        assertEquals(List.of("two"), other.mismatchedEmbeddings());
        int[] f = fitting.chunk(0).ids();
        int[] o = other.chunk(0).ids();
        assertEquals(f[0], o[0], "the start token");
        assertEquals(f[3], o[1], "'cat' moved up by the two slots");
        assertEquals(f[4], o[2], "the end token too");
        assertEquals(g.padToken(), o[75]);
        assertEquals(g.padToken(), o[76]);
        assertArrayEquals(fitting.chunk(0).weights(), other.chunk(0).weights(), "the weights stay where they were");
        assertNull(other.chunk(0).vectors()[1]);
    }
}
