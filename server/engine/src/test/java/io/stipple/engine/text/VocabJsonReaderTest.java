package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabJsonReaderTest {

    @Test
    void readsAFlatObject() {
        assertEquals(Map.of("a", 1, "b</w>", 22), VocabJsonReader.read("{\n  \"a\": 1,\n  \"b</w>\": 22\n}\n"));
        assertEquals(Map.of(), VocabJsonReader.read(" {} "));
    }

    @Test
    void decodesEscapes() {
        assertEquals(Map.of("\"", 1, "\\", 2, "/\b\f\n\r\t", 3, "\u0120\ud83d\ude00", 4),
                VocabJsonReader.read("{\"\\\"\": 1, \"\\\\\": 2, \"\\/\\b\\f\\n\\r\\t\": 3, \"\\u0120\\ud83d\\ude00\": 4}"));
    }

    private static void assertRejected(String json, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> VocabJsonReader.read(json));
        assertEquals(message, e.getMessage());
    }

    @Test
    void malformedInputIsRejectedWithItsOffset() {
        assertRejected("[]", "vocab.json at offset 0: found '[' (expected: '{')");
        assertRejected("{\"a\" 1}", "vocab.json at offset 5: found '1' (expected: ':')");
        assertRejected("{\"a\": x}", "vocab.json at offset 6: found 'x' (expected: a non-negative integer id)");
        assertRejected("{\"a\": -1}", "vocab.json at offset 6: found '-' (expected: a non-negative integer id)");
        assertRejected("{\"a\": 1 \"b\": 2}", "vocab.json at offset 9: found '\"' (expected: ',' or '}')");
        assertRejected("{\"a\": 1, \"a\": 2}", "vocab.json at offset 15: duplicate key \"a\"");
        assertRejected("{\"a\": 1} x", "vocab.json at offset 9: trailing content after the object");
        assertRejected("{\"a\\q\": 1}", "vocab.json at offset 5: escape \\q (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        assertRejected("{\"\\u12g4\": 1}", "vocab.json at offset 7: 'g' in a \\u escape (expected: a hex digit)");
        assertRejected("{\"a\": 1", "vocab.json at offset 7: unexpected end of input");
        assertRejected("{\"a\": 99999999999}", "vocab.json at offset 16: id too large");
    }
}
