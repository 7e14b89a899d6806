package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClipVocabularyTest {

    /** A vocabulary with the 512 byte symbols and both special tokens, as JSON. */
    private static String byteVocabulary(boolean withSpecials) {
        StringBuilder sb = new StringBuilder("{");
        int id = 0;
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevelAlphabet.charOf(b));
            sb.append(String.format("\"\\u%04x\": %d, \"\\u%04x</w>\": %d, ", (int) c.charAt(0), id, (int) c.charAt(0), id + 1));
            id += 2;
        }
        if (withSpecials) {
            sb.append("\"<|startoftext|>\": ").append(id).append(", \"<|endoftext|>\": ").append(id + 1).append(", ");
        }
        sb.append("\"in\": ").append(id + 2).append('}');
        return sb.toString();
    }

    @Test
    void byteAlphabetIsGpt2s() {
        assertEquals('!', ByteLevelAlphabet.charOf('!'));
        assertEquals('\u0100', ByteLevelAlphabet.charOf(0));
        assertEquals('\u0120', ByteLevelAlphabet.charOf(' '));
        assertEquals('\u00ff', ByteLevelAlphabet.charOf(0xff));
        assertEquals('\u0143', ByteLevelAlphabet.charOf(0xad));
    }

    @Test
    void aMissingByteSymbolIsReported() {
        var e = assertThrows(IllegalStateException.class, () -> ClipVocabulary.parse("{\"a\": 0}", "#version: 0.2\n"));
        assertEquals("byte 0: token '\u0100' is not in vocab.json", e.getMessage());
    }

    @Test
    void missingSpecialTokensAreReported() {
        var e = assertThrows(IllegalStateException.class, () -> ClipVocabulary.parse(byteVocabulary(false), "#version: 0.2\ni n\n"));
        assertEquals("the start token: token '<|startoftext|>' is not in vocab.json", e.getMessage());
    }

    @Test
    void tooFewMergesAreReported() {
        var e = assertThrows(IllegalStateException.class, () -> ClipVocabulary.parse(byteVocabulary(true), "#version: 0.2\ni n\n"));
        assertEquals("merges.txt: 1 merges (expected: at least 48894)", e.getMessage());
    }

    @Test
    void bundledMergesMapToVocabularyIds() {
        ClipVocabulary v = ClipVocabulary.fromResources();
        int i = v.id("i");
        int n = v.id("n");
        assertEquals(0, v.mergeRank(i, n));
        assertEquals(v.id("in"), v.mergeResult(0));
        assertEquals(-1, v.mergeRank(n, v.id("<|endoftext|>")));
        assertEquals(-1, v.id("not a token"));
        assertEquals(49408, v.size());
    }
}
