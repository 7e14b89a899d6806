package io.stipple.engine.text;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads CLIP's {@code vocab.json}: one flat JSON object of token string to non-negative integer id.
 * The engine has no JSON library on its main class path, and this one shape is all it needs.
 */
final class VocabJsonReader {
    private final String json;
    private int pos;

    private VocabJsonReader(String json) {
        this.json = json;
    }

    /** The object's entries; throws {@link IllegalArgumentException} naming the offset on malformed input. */
    static Map<String, Integer> read(String json) {
        return new VocabJsonReader(json).object();
    }

    private Map<String, Integer> object() {
        Map<String, Integer> out = new HashMap<>(65_536);
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
            return end(out);
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            int value = integer();
            if (out.put(key, value) != null) {
                throw error("duplicate key " + quote(key));
            }
            skipSpace();
            char c = next();
            if (c == '}') {
                return end(out);
            }
            if (c != ',') {
                throw error("found '" + c + "' (expected: ',' or '}')");
            }
        }
    }

    private Map<String, Integer> end(Map<String, Integer> out) {
        skipSpace();
        if (pos != json.length()) {
            throw error("trailing content after the object");
        }
        return out;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(hex4());
                default -> throw error("escape \\" + e + " (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }

    private char hex4() {
        if (pos + 4 > json.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(json.charAt(pos++), 16);
            if (d < 0) {
                throw error("'" + json.charAt(pos - 1) + "' in a \\u escape (expected: a hex digit)");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private int integer() {
        int start = pos;
        long v = 0;
        while (pos < json.length() && json.charAt(pos) >= '0' && json.charAt(pos) <= '9') {
            v = v * 10 + (json.charAt(pos++) - '0');
            if (v > Integer.MAX_VALUE) {
                throw error("id too large");
            }
        }
        if (pos == start) {
            throw error("found " + describe() + " (expected: a non-negative integer id)");
        }
        return (int) v;
    }

    private void skipSpace() {
        while (pos < json.length()) {
            char c = json.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private void expect(char c) {
        char got = next();
        if (got != c) {
            pos--;
            throw error("found " + describe() + " (expected: '" + c + "')");
        }
    }

    private char peek() {
        if (pos >= json.length()) {
            throw error("unexpected end of input");
        }
        return json.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private String describe() {
        return pos < json.length() ? "'" + json.charAt(pos) + "'" : "end of input";
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("vocab.json at offset " + pos + ": " + what);
    }
}
