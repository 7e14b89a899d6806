package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PromptTokenizerTest {
    private static final int S = 49406;
    private static final int E = 49407;
    private final PromptTokenizer clipL = PromptTokenizer.clipL();
    private final PromptTokenizer clipG = PromptTokenizer.clipG();
    private final ClipBpeTokenizer bpe = ClipBpeTokenizer.shared();

    /** Content ids of a one-chunk prompt (between start and end token). */
    private int[] content(TokenChunk c) {
        int[] ids = c.ids();
        int end = 1;
        while (ids[end] != E) {
            end++;
        }
        return Arrays.copyOfRange(ids, 1, end);
    }

    @Test
    void encoderSettings() {
        assertEquals(77, clipL.maxLength());
        assertTrue(clipL.padWithEnd());
        assertEquals(E, clipL.padToken());
        assertFalse(clipG.padWithEnd());
        assertEquals(0, clipG.padToken());
    }

    @Test
    void clipLPadsWithEndClipGWithZero() {
        TokenChunk l = clipL.tokenize("a photo of a cat").chunk(0);
        TokenChunk g = clipG.tokenize("a photo of a cat").chunk(0);
        assertArrayEquals(new int[] {S, 320, 1125, 539, 320, 2368, E, E, E}, Arrays.copyOf(l.ids(), 9));
        assertArrayEquals(new int[] {S, 320, 1125, 539, 320, 2368, E, 0, 0}, Arrays.copyOf(g.ids(), 9));
        assertArrayEquals(l.weights(), g.weights());
        assertEquals(77, l.length());
    }

    @Test
    void sdxlTokenizesOncePerEncoder() {
        SdxlTokenizedPrompt both = SdxlTokenizedPrompt.tokenize("(red:1.2) apple");
        assertEquals(clipL.tokenize("(red:1.2) apple"), both.l());
        assertEquals(clipG.tokenize("(red:1.2) apple"), both.g());
        assertThrows(NullPointerException.class, () -> new SdxlTokenizedPrompt(both.l(), null));
    }

    @Test
    void emptyAndBlankPromptsAreStartEndPadding() {
        for (String p : List.of("", "   ", "\n\t")) {
            TokenizedPrompt t = clipL.tokenize(p);
            assertEquals(1, t.chunkCount());
            assertEquals(0, content(t.chunk(0)).length);
            assertEquals(E, t.chunk(0).id(76));
            assertFalse(t.isWeighted());
        }
        assertEquals(0, clipG.tokenize("").chunk(0).id(2));
    }

    @Test
    void weightsLandOnTheTokensOfTheirStretch() {
        TokenChunk c = clipL.tokenize("(red:1.2) apple, ((a hat))").chunk(0);
        assertArrayEquals(new int[] {736, 3055, 267, 320, 3801}, content(c));
        assertArrayEquals(new float[] {1f, 1.2f, 1f, 1f, 1.21f, 1.21f, 1f, 1f}, Arrays.copyOf(c.weights(), 8));
        assertTrue(c.isWeighted());
    }

    @Test
    void squareBracketsAreTokenizedAsText() {
        TokenChunk c = clipL.tokenize("[sketch]").chunk(0);
        assertArrayEquals(bpe.encode("[sketch]"), content(c));
        assertEquals(List.of("[</w>", "sketch</w>", "]</w>"), bpe.tokenStrings("[sketch]"));
        assertFalse(c.isWeighted());
    }

    @Test
    void escapedParenthesesAreLiteralTokens() {
        TokenChunk c = clipL.tokenize("\\(literal\\)").chunk(0);
        assertArrayEquals(bpe.encode("(literal)"), content(c));
        assertFalse(c.isWeighted());
    }

    @Test
    void anUnparsableWeightIsTextWithTheParenthesesWeight() {
        TokenChunk c = clipL.tokenize("(word:abc)").chunk(0);
        assertArrayEquals(bpe.encode("word:abc"), content(c));
        assertArrayEquals(new float[] {1f, 1.1f, 1.1f, 1.1f, 1f}, Arrays.copyOf(c.weights(), 5));
    }

    @Test
    void eachStretchIsTokenizedOnItsOwn() {
        // "a(b)" is two stretches: "a" and "b" are separate words, not the single token "ab".
        assertArrayEquals(new int[] {320, 321}, content(clipL.tokenize("a(b)").chunk(0)));
        assertArrayEquals(new int[] {3937}, content(clipL.tokenize("ab").chunk(0)));
    }

    @Test
    void aLongUnweightedPromptIsCutAfterSeventyFiveTokensEvenMidWord() {
        // One stretch is one group for ComfyUI, so the cut ignores spaces: "word25" splits into "word" | "2" "5".
        String prompt = IntStream.range(0, 40).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        TokenizedPrompt t = clipL.tokenize(prompt);
        assertEquals(2, t.chunkCount());
        int[] all = bpe.encode(prompt);
        assertArrayEquals(Arrays.copyOf(all, 75), content(t.chunk(0)));
        assertArrayEquals(Arrays.copyOfRange(all, 75, all.length), content(t.chunk(1)));
        assertEquals("word</w>", bpe.tokenString(t.chunk(0).id(75)));
    }

    @Test
    void shortWeightedStretchesMoveWholeToTheNextChunk() {
        // Each "(tagN:1.1)" is a stretch of 3 tokens, separated by ", " stretches: none is cut.
        String prompt = IntStream.range(0, 40).mapToObj(i -> "(tag" + i + ":1.1)").collect(Collectors.joining(", "));
        TokenizedPrompt t = clipL.tokenize(prompt);
        assertTrue(t.chunkCount() >= 2);
        TokenChunk first = t.chunk(0);
        int[] c0 = content(first);
        assertTrue(c0.length < 75, "chunk 0 was padded early: " + c0.length + " content tokens");
        // Chunk 0 ends with a whole stretch: its last content token is the comma after a tag,
        // and chunk 1 starts with a tag's first token ("tag</w>", digits are separate).
        assertEquals(",</w>", bpe.tokenString(c0[c0.length - 1]));
        assertEquals("tag</w>", bpe.tokenString(t.chunk(1).id(1)));
        assertEquals(1.1f, t.chunk(1).weight(1));
        for (int i = c0.length + 2; i < 77; i++) {
            assertEquals(E, first.id(i), "padding at " + i);
        }
    }

    @Test
    void veryLongPromptsMakeManyChunks() {
        TokenizedPrompt t = clipL.tokenize("x ".repeat(400));
        assertEquals(6, t.chunkCount());
        for (TokenChunk c : t.chunks()) {
            assertEquals(77, c.length());
            assertEquals(S, c.id(0));
        }
        assertArrayEquals(new int[] {343, 343, 343}, Arrays.copyOf(content(t.chunk(5)), 3));
        assertEquals(400 - 5 * 75, content(t.chunk(5)).length);
    }

    @Test
    void missingEmbeddingsAreDroppedAndReported() {
        TokenizedPrompt t = clipL.tokenize("a embedding:easynegative, masterpiece");
        assertEquals(List.of("easynegative,"), t.droppedEmbeddings());
        // ComfyUI hands the stripped comma back to the text: "a " then ", masterpiece".
        assertArrayEquals(new int[] {320, 267, 12066}, content(t.chunk(0)));
    }

    @Test
    void embeddingReferencesAtTheStartOfAStretchCount() {
        TokenizedPrompt t = clipL.tokenize("(embedding:style:1.2) cat");
        assertEquals(List.of("style"), t.droppedEmbeddings());
        assertArrayEquals(new int[] {2368}, content(t.chunk(0)));
    }

    @Test
    void embeddingInsideAWordIsText() {
        TokenizedPrompt t = clipL.tokenize("photoembedding:x");
        assertEquals(List.of(), t.droppedEmbeddings());
        assertArrayEquals(bpe.encode("photoembedding:x"), content(t.chunk(0)));
    }

    @Test
    void anEmbeddingWithoutANameIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> clipL.tokenize("a photo embedding:"));
        assertEquals("prompt: 'embedding:' names no embedding (expected: a name after 'embedding:')", e.getMessage());
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThrows(NullPointerException.class, () -> clipL.tokenize(null));
        assertThrows(NullPointerException.class, () -> new PromptTokenizer(null, 77, true));
        var e = assertThrows(IllegalArgumentException.class, () -> new PromptTokenizer(bpe, 5, true));
        assertEquals("max length: 5 (expected: at least 10)", e.getMessage());
    }

    @Test
    void tokenizedPromptsCompareByValue() {
        assertEquals(clipL.tokenize("a cat"), clipL.tokenize("A  cat"));
        assertNotEquals(clipL.tokenize("a cat"), clipG.tokenize("a cat"));
        assertNotEquals(clipL.tokenize("a cat"), clipL.tokenize("(a cat)"));
    }
}
