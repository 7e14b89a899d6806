package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.text.TokenChunker.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** ComfyUI's packing of token groups into 77-token chunks, with synthetic token ids. */
class TokenChunkerTest {
    private static final int S = 49406;
    private static final int E = 49407;
    private final TokenChunker padWithEnd = new TokenChunker(77, S, E, E);
    private final TokenChunker padWithZero = new TokenChunker(77, S, E, 0);

    /** Ids from..from+count-1 (small numbers, never special). */
    private static Group group(int from, int count, double weight) {
        return new Group(IntStream.range(from, from + count).toArray(), weight);
    }

    /** The chunk's content: what lies between the start token and the end token. */
    private static int[] content(TokenChunk c) {
        int[] ids = c.ids();
        assertEquals(S, ids[0], "chunk starts with the start token");
        int end = 1;
        while (ids[end] != E) {
            end++;
        }
        return java.util.Arrays.copyOfRange(ids, 1, end);
    }

    private static int[] range(int from, int count) {
        return IntStream.range(from, from + count).toArray();
    }

    @Test
    void noTokensGiveOneChunkOfStartEndAndPadding() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of());
        assertEquals(1, chunks.size());
        int[] expected = new int[77];
        java.util.Arrays.fill(expected, E);
        expected[0] = S;
        assertArrayEquals(expected, chunks.get(0).ids());
        assertArrayEquals(new float[77], sub1(chunks.get(0).weights()));
    }

    /** weights − 1, so that an all-ones array compares equal to zeros. */
    private static float[] sub1(float[] w) {
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = w[i] - 1f;
        }
        return out;
    }

    @Test
    void padTokenIsConfigurableAndTheEndTokenStays() {
        TokenChunk c = padWithZero.chunk(List.of(group(1, 3, 1.0))).get(0);
        assertArrayEquals(new int[] {S, 1, 2, 3, E, 0, 0}, java.util.Arrays.copyOf(c.ids(), 7));
        assertEquals(0, c.id(76));
    }

    @Test
    void seventyFiveContentTokensFillOneChunkExactly() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 75, 1.0)));
        assertEquals(1, chunks.size());
        assertArrayEquals(range(1, 75), content(chunks.get(0)));
        assertEquals(E, chunks.get(0).id(76));
    }

    @Test
    void aLargeGroupIsCutExactlyAtTheChunkEnd() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 76, 1.0)));
        assertEquals(2, chunks.size());
        assertArrayEquals(range(1, 75), content(chunks.get(0)));
        assertArrayEquals(range(76, 1), content(chunks.get(1)));
    }

    @Test
    void manyTokensMakeSeveralChunks() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 200, 1.0)));
        assertEquals(3, chunks.size());
        assertArrayEquals(range(1, 75), content(chunks.get(0)));
        assertArrayEquals(range(76, 75), content(chunks.get(1)));
        assertArrayEquals(range(151, 50), content(chunks.get(2)));
    }

    @Test
    void aShortGroupThatDoesNotFitMovesWholeToTheNextChunk() {
        // 72 + 7 > 75: the 7-token group (below max_word_length 8) moves; chunk 0 is padded after its end token.
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 72, 1.0), group(100, 7, 1.0)));
        assertEquals(2, chunks.size());
        assertArrayEquals(range(1, 72), content(chunks.get(0)));
        assertEquals(E, chunks.get(0).id(73));
        assertEquals(E, chunks.get(0).id(76));
        assertArrayEquals(range(100, 7), content(chunks.get(1)));
    }

    @Test
    void aGroupOfEightTokensIsSplitInstead() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 72, 1.0), group(100, 8, 1.0)));
        assertEquals(2, chunks.size());
        assertArrayEquals(concat(range(1, 72), range(100, 3)), content(chunks.get(0)));
        assertArrayEquals(range(103, 5), content(chunks.get(1)));
    }

    @Test
    void aGroupThatFitsExactlyStays() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 70, 1.0), group(100, 5, 1.0)));
        assertEquals(1, chunks.size());
        assertArrayEquals(concat(range(1, 70), range(100, 5)), content(chunks.get(0)));
    }

    @Test
    void aFullChunkFollowedByMoreStartsANewOne() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 75, 1.0), group(100, 2, 1.0), group(200, 9, 1.0)));
        assertEquals(2, chunks.size());
        assertArrayEquals(range(1, 75), content(chunks.get(0)));
        assertArrayEquals(concat(range(100, 2), range(200, 9)), content(chunks.get(1)));
    }

    @Test
    void emptyGroupsChangeNothing() {
        List<TokenChunk> with = padWithEnd.chunk(List.of(group(1, 3, 1.0), group(5, 0, 2.0), group(7, 2, 1.0)));
        List<TokenChunk> without = padWithEnd.chunk(List.of(group(1, 3, 1.0), group(7, 2, 1.0)));
        assertEquals(without, with);
    }

    @Test
    void weightsFollowTheirGroupAndSpecialTokensWeighOne() {
        TokenChunk c = padWithEnd.chunk(List.of(group(1, 2, 1.2), group(10, 1, 1.0), group(20, 2, 1.1 * 1.1))).get(0);
        float[] expected = new float[77];
        java.util.Arrays.fill(expected, 1f);
        expected[1] = 1.2f;
        expected[2] = 1.2f;
        expected[4] = 1.21f;
        expected[5] = 1.21f;
        assertArrayEquals(expected, c.weights());
    }

    @Test
    void splitGroupsKeepTheirWeightInBothChunks() {
        List<TokenChunk> chunks = padWithEnd.chunk(List.of(group(1, 80, 0.5)));
        assertEquals(0.5f, chunks.get(0).weight(75));
        assertEquals(1.0f, chunks.get(0).weight(76));
        assertEquals(0.5f, chunks.get(1).weight(5));
        assertEquals(1.0f, chunks.get(1).weight(6));
    }

    @Test
    void tooShortMaxLengthIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TokenChunker(9, S, E, E));
        assertEquals("max length: 9 (expected: at least 10)", e.getMessage());
    }

    @Test
    void otherLengthsWork() {
        TokenChunker small = new TokenChunker(10, S, E, 0);
        List<TokenChunk> chunks = small.chunk(List.of(group(1, 3, 1.0), group(10, 7, 1.0)));
        assertEquals(2, chunks.size());
        assertArrayEquals(new int[] {S, 1, 2, 3, E, 0, 0, 0, 0, 0}, chunks.get(0).ids());
        assertArrayEquals(new int[] {S, 10, 11, 12, 13, 14, 15, 16, E, 0}, chunks.get(1).ids());
    }

    private static int[] concat(int[] a, int[] b) {
        List<Integer> all = new ArrayList<>();
        for (int v : a) {
            all.add(v);
        }
        for (int v : b) {
            all.add(v);
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }
}
