package io.stipple.format.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.format.safetensors.JsonReader.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonReaderTest {

    private static JsonReader reader(String json) {
        return new JsonReader(json.getBytes(StandardCharsets.UTF_8), 8);
    }

    @Test
    void walksAnObjectTokenByToken() {
        JsonReader r = reader(" {\"a\" : [1, -2.5e+3, \"x\"], \"b\":{}, \"c\":true, \"d\":null} ");
        r.beginObject();
        assertEquals("a", r.nextName());
        r.beginArray();
        assertEquals("1", r.nextNumber());
        assertEquals("-2.5e+3", r.nextNumber());
        assertEquals("x", r.nextString());
        assertFalse(r.hasNext());
        r.endArray();
        assertEquals("b", r.nextName());
        r.beginObject();
        r.endObject();
        assertEquals("c", r.nextName());
        assertEquals("true", r.nextLiteral());
        assertEquals("d", r.nextName());
        assertEquals("null", r.describeNext());
        assertEquals("null", r.nextLiteral());
        assertFalse(r.hasNext());
        r.endObject();
        r.endDocument();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`\"plain\"`                  | plain",
        "`\"esc \\\" \\\\ \\/ \\b\\f\\n\\r\\t\"` | `esc \" \\ / \b\f\n\r\t`",
        "`\"\\u00e9\\u65e5\"`          | é日",
        "`\"\\ud83d\\ude00 pair\"`     | 😀 pair",
        "`\"raw ü 日本 😀\"`            | raw ü 日本 😀",
        "`\"\"`                       | ``",
    })
    void decodesStrings(String json, String expected) {
        assertEquals(expected, reader(json).nextString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "12", "1.5", "1e9", "1E-9", "-0.0e+0", "123456789012345678901234567890"})
    void acceptsNumbers(String number) {
        JsonReader r = reader(number);
        assertEquals(number, r.nextNumber());
        r.endDocument();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "01      | leading zero in a number at byte 1",
        "1.      | expected a digit after '.', found the end of the document at byte 2",
        ".5      | expected a value, found '.' at byte 0",
        "1e      | expected a digit in the exponent",
        "+1      | expected a value, found '+'",
        "-       | expected a digit, found the end of the document",
        "tru     | expected a value, found 't'",
        "nul     | expected a value, found 'n'",
        "`[1 2]` | expected ',' or ']', found '2' at byte 3",
        "[1,]    | expected a value, found ']' at byte 3",
        "[,1]    | expected a value, found ',' at byte 1",
        "`{\"a\":1 \"b\":2}` | expected ',' or '}', found '\"'",
        "{1:2}   | expected a member name in double quotes, found '1'",
        "`\"\\x\"` | invalid escape '\\x' in a string at byte 1",
        "`\"\\u12\"` | expected 4 hex digits after \\u, found '\"'",
        "`\"\\udc00\"` | lone surrogate \\udc00 in a string",
        "`\"\\ud800\\u0041\"` | lone surrogate \\ud800 in a string",
        "`\"abc`   | unterminated string at byte 0",
        "``        | expected a value, found the end of the document at byte 0",
        "1 1       | unexpected '1' after the end of the value at byte 2",
    })
    void refusesWhatTheGrammarRefuses(String json, String message) {
        JsonReader r = reader(json);
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> {
            r.skipValue();
            r.endDocument();
        });
        assertTrue(e.getMessage().contains(message), e.getMessage() + "\nexpected to contain: " + message);
    }

    @Test
    void skipsNestedValuesWithinTheDepthLimit() { // 8 levels: the limit
        JsonReader r = reader("[" + "[".repeat(5) + "{\"k\":[true,false,null,\"s\",1]}" + "]".repeat(5) + ", 5]");
        r.beginArray();
        r.skipValue();
        assertEquals(Token.NUMBER, r.peek());
        assertEquals("5", r.nextNumber());
        r.endArray();
        r.endDocument();
    }

    @Test
    void refusesNestingBeyondTheLimitWithoutRecursion() {
        JsonSyntaxException e = assertThrows(JsonSyntaxException.class, () -> reader("[".repeat(9)).skipValue());
        assertEquals("nested deeper than 8 levels at byte 8", e.getMessage());
        assertEquals(8, e.offset());
        // a million levels: refused at the limit, no stack overflow, no memory
        byte[] deep = "[".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
        assertThrows(JsonSyntaxException.class, () -> new JsonReader(deep, 64).skipValue());
    }

    @Test
    void tokensOfAllKinds() {
        JsonReader r = reader("[{}, [], \"s\", 1, true]");
        List<Token> tokens = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            tokens.add(r.peek());
            r.skipValue();
        }
        r.endArray();
        assertEquals(List.of(Token.BEGIN_OBJECT, Token.BEGIN_ARRAY, Token.STRING, Token.NUMBER, Token.LITERAL), tokens);
    }
}
