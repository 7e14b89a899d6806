package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenChunkTest {

    @Test
    void idsAndWeightsMustHaveTheSameLength() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TokenChunk(new int[3], new float[2]));
        assertEquals("token chunk: 3 ids, 2 weights and 3 vector slots (expected: the same number)", e.getMessage());
        var slots = assertThrows(IllegalArgumentException.class, () -> new TokenChunk(new int[3], new float[3], new float[4][]));
        assertEquals("token chunk: 3 ids, 3 weights and 4 vector slots (expected: the same number)", slots.getMessage());
    }

    @Test
    void chunksCannotBeChangedThroughTheirArrays() {
        int[] ids = {1, 2};
        float[] w = {1f, 2f};
        TokenChunk c = new TokenChunk(ids, w);
        ids[0] = 9;
        w[0] = 9f;
        c.ids()[1] = 9;
        c.weights()[1] = 9f;
        assertArrayEquals(new int[] {1, 2}, c.ids());
        assertArrayEquals(new float[] {1f, 2f}, c.weights());
        assertEquals(2, c.id(1));
        assertEquals(2f, c.weight(1));
    }

    @Test
    void valueEqualityAndReadableText() {
        TokenChunk a = new TokenChunk(new int[] {5, 6}, new float[] {1f, 1.5f});
        assertEquals(a, new TokenChunk(new int[] {5, 6}, new float[] {1f, 1.5f}));
        assertEquals(a.hashCode(), new TokenChunk(new int[] {5, 6}, new float[] {1f, 1.5f}).hashCode());
        assertNotEquals(a, new TokenChunk(new int[] {5, 6}, new float[] {1f, 1f}));
        assertEquals("TokenChunk[5, 6:1.5]", a.toString());
    }

    @Test
    void weightedMeansAnyWeightOtherThanOne() {
        assertTrue(new TokenChunk(new int[] {1, 2}, new float[] {1f, 0.9f}).isWeighted());
        assertFalse(new TokenChunk(new int[] {1, 2}, new float[] {1f, 1f}).isWeighted());
    }

    @Test
    void aTokenizedPromptHasAtLeastOneChunk() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TokenizedPrompt(List.of(), List.of()));
        assertEquals("tokenized prompt: no chunks (expected: at least one)", e.getMessage());
        TokenChunk plain = new TokenChunk(new int[] {1}, new float[] {1f});
        TokenChunk weighted = new TokenChunk(new int[] {1}, new float[] {2f});
        assertFalse(new TokenizedPrompt(List.of(plain), List.of()).isWeighted());
        assertTrue(new TokenizedPrompt(List.of(plain, weighted), List.of("x")).isWeighted());
    }
}
