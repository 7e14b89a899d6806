package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Expected ids come from python_reference.py (the transformers slow CLIPTokenizer path without ftfy). */
class ClipBpeTokenizerTest {
    private final ClipBpeTokenizer tok = ClipBpeTokenizer.shared();

    private void assertIds(String text, int... expected) {
        assertArrayEquals(expected, tok.encode(text), "ids of \"" + text + "\": " + tok.tokenStrings(text));
    }

    @Test
    void specialTokensAndVocabularySize() {
        assertEquals(49406, tok.startToken());
        assertEquals(49407, tok.endToken());
        assertEquals(49408, tok.vocabularySize());
        assertEquals("<|startoftext|>", tok.tokenString(49406));
        assertEquals("cat</w>", tok.tokenString(2368));
        assertEquals("!", tok.tokenString(0));
    }

    @Test
    void tokenStringRejectsIdsOutsideTheVocabulary() {
        var low = assertThrows(IllegalArgumentException.class, () -> tok.tokenString(-1));
        assertEquals("token id: -1 (expected: 0..49407)", low.getMessage());
        var high = assertThrows(IllegalArgumentException.class, () -> tok.tokenString(49408));
        assertEquals("token id: 49408 (expected: 0..49407)", high.getMessage());
    }

    @Test
    void sharedInstanceIsLoadedOnce() {
        assertSame(ClipBpeTokenizer.shared(), ClipBpeTokenizer.shared());
    }

    @Test
    void bundledVocabularyIsByteForByteComfyUisCopy() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertEquals("e089ad92ba36837a0d31433e555c8f45fe601ab5c221d4f607ded32d9f7a4349",
                HexFormat.of().formatHex(sha.digest(ClipVocabulary.readGzipResource("vocab.json.gz").getBytes(StandardCharsets.UTF_8))));
        assertEquals("9fd691f7c8039210e0fced15865466c65820d09b63988b0174bfe25de299051a",
                HexFormat.of().formatHex(sha.digest(ClipVocabulary.readGzipResource("merges.txt.gz").getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void plainWordsAndEndOfWordMarker() {
        assertIds("a photo of a cat", 320, 1125, 539, 320, 2368);
        assertEquals(List.of("a</w>", "photo</w>", "of</w>", "a</w>", "cat</w>"), tok.tokenStrings("a photo of a cat"));
    }

    @Test
    void longWordsSplitIntoSubwordsByMergeRank() {
        assertEquals(List.of("super", "cali", "frag", "ili", "stic", "expi", "ali", "do", "cious</w>"),
                tok.tokenStrings("supercalifragilisticexpialidocious"));
    }

    @Test
    void textIsLowerCased() {
        assertArrayEquals(tok.encode("a photo of a cat"), tok.encode("A Photo OF a CAT"));
        assertIds("CAFÉ", 15304);
    }

    @Test
    void everyDigitIsItsOwnToken() {
        assertIds("1024x768", 272, 271, 273, 275, 343, 278, 277, 279);
        assertIds("3.14", 274, 269, 272, 275);
        // \p{N} covers other numerals too: one pre-token each, byte-level encoded.
        assertIds("\u00bd", 33613);
        assertIds("\u2167", 158, 227, 371);
        assertIds("\u0663", 149, 352);
    }

    @Test
    void apostropheContractionsAreSeparateTokens() {
        assertIds("don't", 847, 713);
        assertIds("it's", 585, 568);
        assertIds("we'll", 649, 1342);
        assertIds("DON'T", 847, 713);
        assertIds("'quoted'", 262, 27706, 262);
    }

    @Test
    void punctuationRunsStayTogether() {
        assertIds("!!!", 995);
        assertIds("...", 678);
        assertIds("?!?", 11395);
        assertIds("a+b=c", 320, 266, 321, 284, 322);
        assertIds("hello,world", 3306, 267, 1002);
    }

    @Test
    void htmlEntitiesAreNotUnescaped() {
        // transformers without ftfy does not unescape, and neither does ComfyUI: "&amp;" is "&", "amp", ";".
        assertIds("&amp;", 261, 6259, 282);
        assertIds("tom & jerry", 2435, 261, 9164);
    }

    @Test
    void whitespaceOfAnyKindSeparatesWordsOnly() {
        int[] expected = tok.encode("a b");
        assertArrayEquals(expected, tok.encode("  a \t\n\r b  "));
        assertArrayEquals(expected, tok.encode("a\u00a0b"));
        assertArrayEquals(expected, tok.encode("a\u3000b"));
        assertArrayEquals(expected, tok.encode("a\u2028b"));
        assertArrayEquals(new int[0], tok.encode(""));
        assertArrayEquals(new int[0], tok.encode(" \t\n "));
    }

    @Test
    void controlAndFormatCharactersAreDropped() {
        assertIds("a\u0000b", 3937);
        assertIds("a\u200bb", 3937);
        assertIds("a\ufeffb", 3937);
        assertIds("a\ufffdb", 3937);
    }

    @Test
    void accentsAreKeptAndComposed() {
        assertIds("caf\u00e9", 15304);
        assertIds("cafe\u0301", 15304);
        assertIds("na\u00efve", 1097, 35689, 563);
    }

    @Test
    void greekSigmaLowerCasesLikePython() {
        assertIds("\u03a3", 139, 481);
        assertIds("\u039f\u0394\u039f\u03a3", 138, 123, 138, 112, 138, 123, 139, 480);
        // Python's Final_Sigma skips case-ignorable ':' and sees a cased letter after it; Java's toLowerCase would not.
        assertArrayEquals(tok.encode("x\u03c3:a"), tok.encode("x\u03a3:a"));
    }

    @Test
    void emojiAndCjkAreByteLevelEncoded() {
        assertIds("\ud83d\ude00", 7334);
        assertIds("\u2764\ufe0f", 1752);
        assertIds("\u65e5\u672c\u8a9e", 37156, 19277, 361, 34002, 508);
    }

    @Test
    void specialTokenTextBecomesTheSpecialToken() {
        assertIds("<|endoftext|>", 49407);
        assertIds("<|startoftext|>", 49406);
        assertIds("<|ENDOFTEXT|>", 49407);
        // Spelled exactly, it is split out before pre-tokenizing, so punctuation before it stays apart.
        assertIds("!!<|endoftext|>", 748, 49407);
    }

    @Test
    void repeatedAndConcurrentEncodingAgree() throws Exception {
        List<String> texts = List.of("a photo of a cat", "masterpiece, best quality", "\u65e5\u672c 1024 don't", "x".repeat(300));
        List<int[]> first = new ArrayList<>();
        for (String t : texts) {
            first.add(tok.encode(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<int[]>>> futures = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                futures.add(pool.submit(() -> {
                    List<int[]> out = new ArrayList<>();
                    for (int rep = 0; rep < 50; rep++) {
                        for (String t : texts) {
                            out.add(tok.encode(t));
                        }
                    }
                    return out;
                }));
            }
            for (Future<List<int[]>> f : futures) {
                List<int[]> got = f.get();
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(first.get(i % texts.size()), got.get(i));
                }
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(tok.encode("x".repeat(300)).length > 1);
    }
}
