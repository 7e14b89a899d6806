package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps before BPE: Python str behaviour, the BasicTokenizer clean-up and the pre-tokenizer regex. */
class ClipTextStepsTest {

    @Test
    void pythonWhitespaceIsStrIsspace() {
        for (int cp : new int[] {' ', '\t', '\n', 0x0B, 0x0C, '\r', 0x1C, 0x1F, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
            assertTrue(PythonText.isSpace(cp), Integer.toHexString(cp));
        }
        for (int cp : new int[] {'a', 0, 0x200B, 0xFEFF, 0x180E, 0x1B}) {
            assertFalse(PythonText.isSpace(cp), Integer.toHexString(cp));
        }
    }

    @Test
    void pythonSplitAndStrip() {
        assertEquals(List.of("a", "b", "c"), PythonText.split("  a\u00a0b\u3000\tc \n"));
        assertEquals(List.of(), PythonText.split(" \u2028 "));
        assertEquals("a b", PythonText.strip("\u00a0 a b\u205f"));
        assertEquals("a,b", PythonText.strip(",,a,b,", ','));
        assertEquals("", PythonText.strip(",,,", ','));
    }

    @Test
    void pythonLowerCase() {
        assertEquals("caf\u00e9", PythonText.lower("CAF\u00c9"));
        assertEquals("i\u0307stanbul", PythonText.lower("\u0130stanbul"));
        assertEquals("\u03bf\u03b4\u03bf\u03c2", PythonText.lower("\u039f\u0394\u039f\u03a3"));
        assertEquals("\u03c3", PythonText.lower("\u03a3"));
        assertEquals("\u03b1\u03c3\u03b1", PythonText.lower("\u0391\u03a3\u0391"));
        assertEquals("x\u03c3:a", PythonText.lower("X\u03a3:A"));
        assertEquals("x\u03c2.", PythonText.lower("X\u03a3."));
        assertEquals("x'\u03c2", PythonText.lower("X'\u03a3"));
        assertEquals("\ud801\udc28", PythonText.lower("\ud801\udc00"));
    }

    @Test
    void cleanUpDropsControlsSplitsCjkAndComposes() {
        assertEquals(List.of("ab", "c"), ClipTextNormalizer.words("a\u0000b\u200b \u0007C"));
        assertEquals(List.of("\u65e5", "\u672c", "x"), ClipTextNormalizer.words("\u65e5\u672cx"));
        assertEquals(List.of("\ud55c\uad6d"), ClipTextNormalizer.words("\ud55c\uad6d"));
        assertEquals(List.of("caf\u00e9"), ClipTextNormalizer.words("Cafe\u0301"));
        assertEquals(List.of("&amp;"), ClipTextNormalizer.words(" &amp; "));
        assertEquals(List.of(), ClipTextNormalizer.words("\ue000\ufffd"));
    }

    @Test
    void preTokenizerFollowsTheRegexAlternativesInOrder() {
        assertEquals(List.of("don", "'t"), ClipPreTokenizer.split("don't"));
        assertEquals(List.of("x", "'s", "'ll"), ClipPreTokenizer.split("x's'll"));
        // A punctuation run is greedy: it takes the apostrophe, leaving "s" a word of its own.
        assertEquals(List.of("!'", "s"), ClipPreTokenizer.split("!'s"));
        assertEquals(List.of("ab", "1", "2", "cd"), ClipPreTokenizer.split("ab12cd"));
        assertEquals(List.of("\u00bd", "\u2167", "x"), ClipPreTokenizer.split("\u00bd\u2167x"));
        assertEquals(List.of("<|endoftext|>", "a"), ClipPreTokenizer.split("<|endoftext|>a"));
        assertEquals(List.of("!!<|", "endoftext", "|>"), ClipPreTokenizer.split("!!<|endoftext|>"));
        assertEquals(List.of("\ud83d\ude00\ud83d\udc31", "a"), ClipPreTokenizer.split("\ud83d\ude00\ud83d\udc31a"));
        assertEquals(List.of(), ClipPreTokenizer.split(""));
    }
}
