package io.stipple.format.safetensors;

import java.nio.charset.StandardCharsets;

/**
 * A strict pull parser for one JSON document (RFC 8259) held in a byte array already checked to
 * be valid UTF-8. The caller walks the document token by token, so memory follows what the caller
 * keeps, not what the document holds; nesting is bounded by {@code maxDepth} and nothing recurses,
 * so a hostile document can cost neither the heap nor the stack. Anything outside the grammar
 * (trailing commas, leading zeros, NaN, single quotes, unescaped control characters, lone
 * surrogates, data after the value) is a {@link JsonSyntaxException} naming the byte offset.
 */
final class JsonReader {

    enum Token { BEGIN_OBJECT, END_OBJECT, BEGIN_ARRAY, END_ARRAY, NAME, STRING, NUMBER, LITERAL, END_DOCUMENT }

    // What the parser expects next in the innermost open container.
    private static final byte EMPTY_DOCUMENT = 0;
    private static final byte NONEMPTY_DOCUMENT = 1;
    private static final byte EMPTY_OBJECT = 2;
    private static final byte NONEMPTY_OBJECT = 3;
    private static final byte DANGLING_NAME = 4;
    private static final byte EMPTY_ARRAY = 5;
    private static final byte NONEMPTY_ARRAY = 6;

    private final byte[] in;
    private final int maxDepth;
    private final byte[] stack;
    private int depth; // open containers; stack[depth] is the innermost context
    private int pos;
    private Token peeked;

    JsonReader(byte[] in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
        this.stack = new byte[maxDepth + 1];
        this.stack[0] = EMPTY_DOCUMENT;
    }

    Token peek() {
        if (peeked == null) {
            peeked = advance();
        }
        return peeked;
    }

    void beginObject() {
        expect(Token.BEGIN_OBJECT);
        open(EMPTY_OBJECT);
    }

    void endObject() {
        expect(Token.END_OBJECT);
        close();
    }

    void beginArray() {
        expect(Token.BEGIN_ARRAY);
        open(EMPTY_ARRAY);
    }

    void endArray() {
        expect(Token.END_ARRAY);
        close();
    }

    /** Whether the innermost object or array has another member. */
    boolean hasNext() {
        Token t = peek();
        return t != Token.END_OBJECT && t != Token.END_ARRAY && t != Token.END_DOCUMENT;
    }

    String nextName() {
        expect(Token.NAME);
        String name = readString();
        stack[depth] = DANGLING_NAME;
        return name;
    }

    String nextString() {
        expect(Token.STRING);
        return readString();
    }

    /** The number's text exactly as written, already checked against the JSON grammar. */
    String nextNumber() {
        expect(Token.NUMBER);
        int start = pos;
        scanNumber();
        return new String(in, start, pos - start, StandardCharsets.US_ASCII);
    }

    /** Reads {@code true}, {@code false} or {@code null}: "true", "false" or "null". */
    String nextLiteral() {
        expect(Token.LITERAL);
        String word = in[pos] == 'n' ? "null" : in[pos] == 't' ? "true" : "false";
        pos += word.length();
        return word;
    }

    /** Skips the next value, however deeply nested (within the depth limit), without recursion. */
    void skipValue() {
        int open = 0;
        do {
            switch (peek()) {
                case BEGIN_OBJECT -> { beginObject(); open++; }
                case BEGIN_ARRAY -> { beginArray(); open++; }
                case END_OBJECT -> { endObject(); open--; }
                case END_ARRAY -> { endArray(); open--; }
                case NAME -> nextName();
                case STRING -> nextString();
                case NUMBER -> nextNumber();
                case LITERAL -> nextLiteral();
                case END_DOCUMENT -> throw error("unexpected end of document");
            }
        } while (open > 0);
    }

    /** Checks that nothing but whitespace follows the document's value. */
    void endDocument() {
        expect(Token.END_DOCUMENT);
    }

    /** A short description of the next token, for messages: "'['", "a string", "a number". */
    String describeNext() {
        return switch (peek()) {
            case BEGIN_OBJECT -> "an object";
            case BEGIN_ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case LITERAL -> in[pos] == 'n' ? "null" : in[pos] == 't' ? "true" : "false";
            case END_OBJECT, END_ARRAY, NAME, END_DOCUMENT -> "'" + peek() + "'";
        };
    }

    JsonSyntaxException error(String what) {
        return new JsonSyntaxException(what, pos);
    }

    private void expect(Token token) {
        Token t = peek();
        if (t != token) {
            throw error("expected " + token.name().toLowerCase().replace('_', ' ') + ", found " + found());
        }
        peeked = null;
    }

    private String found() {
        return pos >= in.length ? "the end of the document" : "'" + printable(in[pos]) + "'";
    }

    private static String printable(byte b) {
        int c = b & 0xff;
        return c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c);
    }

    private void open(byte context) {
        if (depth == maxDepth) {
            throw error("nested deeper than " + maxDepth + " levels");
        }
        pos++;
        stack[++depth] = context;
    }

    private void close() {
        pos++;
        depth--;
    }

    /** Moves to the next token and says what it is, leaving {@code pos} on its first byte. */
    private Token advance() {
        byte context = stack[depth];
        switch (context) {
            case EMPTY_DOCUMENT -> {
                skipWhitespace();
                stack[depth] = NONEMPTY_DOCUMENT;
                return value();
            }
            case NONEMPTY_DOCUMENT -> {
                skipWhitespace();
                if (pos < in.length) {
                    throw error("unexpected " + found() + " after the end of the value");
                }
                return Token.END_DOCUMENT;
            }
            case EMPTY_OBJECT, NONEMPTY_OBJECT -> {
                skipWhitespace();
                if (at('}') && context == EMPTY_OBJECT) {
                    return Token.END_OBJECT;
                }
                if (context == NONEMPTY_OBJECT) {
                    if (at('}')) {
                        return Token.END_OBJECT;
                    }
                    if (!at(',')) {
                        throw error("expected ',' or '}', found " + found());
                    }
                    pos++;
                    skipWhitespace();
                }
                if (!at('"')) {
                    throw error("expected a member name in double quotes, found " + found());
                }
                return Token.NAME;
            }
            case DANGLING_NAME -> {
                skipWhitespace();
                if (!at(':')) {
                    throw error("expected ':', found " + found());
                }
                pos++;
                skipWhitespace();
                stack[depth] = NONEMPTY_OBJECT;
                return value();
            }
            case EMPTY_ARRAY, NONEMPTY_ARRAY -> {
                skipWhitespace();
                if (at(']')) {
                    return Token.END_ARRAY;
                }
                if (context == NONEMPTY_ARRAY) {
                    if (!at(',')) {
                        throw error("expected ',' or ']', found " + found());
                    }
                    pos++;
                    skipWhitespace();
                }
                stack[depth] = NONEMPTY_ARRAY;
                return value();
            }
            default -> throw new IllegalStateException("context " + context);
        }
    }

    private Token value() {
        if (pos >= in.length) {
            throw error("expected a value, found the end of the document");
        }
        byte c = in[pos];
        return switch (c) {
            case '{' -> Token.BEGIN_OBJECT;
            case '[' -> Token.BEGIN_ARRAY;
            case '"' -> Token.STRING;
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield Token.NUMBER;
                }
                throw error("expected a value, found " + found());
            }
        };
    }

    private Token literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (pos + i >= in.length || in[pos + i] != word.charAt(i)) {
                throw error("expected a value, found " + found());
            }
        }
        return Token.LITERAL;
    }

    private boolean at(char c) {
        return pos < in.length && in[pos] == c;
    }

    private void skipWhitespace() {
        while (pos < in.length) {
            byte c = in[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** number = [ "-" ] int [ frac ] [ exp ]; int = "0" / digit1-9 *digit. */
    private void scanNumber() {
        if (at('-')) {
            pos++;
        }
        if (at('0')) {
            pos++;
            if (digitAt()) {
                throw error("leading zero in a number");
            }
        } else if (!digits()) {
            throw error("expected a digit, found " + found());
        }
        if (at('.')) {
            pos++;
            if (!digits()) {
                throw error("expected a digit after '.', found " + found());
            }
        }
        if (at('e') || at('E')) {
            pos++;
            if (at('+') || at('-')) {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent, found " + found());
            }
        }
    }

    private boolean digits() {
        int start = pos;
        while (digitAt()) {
            pos++;
        }
        return pos > start;
    }

    private boolean digitAt() {
        return pos < in.length && in[pos] >= '0' && in[pos] <= '9';
    }

    /** Reads the string at {@code pos} (on its opening quote), decoding escapes. */
    private String readString() {
        int start = ++pos;
        StringBuilder sb = null; // only for strings with escapes
        int run = start;
        while (true) {
            if (pos >= in.length) {
                pos = start - 1;
                throw error("unterminated string");
            }
            int c = in[pos] & 0xff;
            if (c == '"') {
                String s;
                if (sb == null) {
                    s = new String(in, start, pos - start, StandardCharsets.UTF_8);
                } else {
                    s = sb.append(new String(in, run, pos - run, StandardCharsets.UTF_8)).toString();
                }
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("unescaped control character " + String.format("\\x%02x", c) + " in a string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(in, run, pos - run, StandardCharsets.UTF_8));
                readEscape(sb);
                run = pos;
            } else {
                pos++;
            }
        }
    }

    private void readEscape(StringBuilder sb) {
        int backslash = pos++;
        if (pos >= in.length) {
            throw error("unterminated escape");
        }
        byte e = in[pos++];
        switch (e) {
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case '/' -> sb.append('/');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                char c = hex4();
                if (Character.isHighSurrogate(c)) {
                    if (!(at('\\') && pos + 1 < in.length && in[pos + 1] == 'u')) {
                        throw error("lone surrogate \\u" + Integer.toHexString(c) + " in a string");
                    }
                    pos += 2;
                    char low = hex4();
                    if (!Character.isLowSurrogate(low)) {
                        throw error("lone surrogate \\u" + Integer.toHexString(c) + " in a string");
                    }
                    sb.append(c).append(low);
                } else if (Character.isLowSurrogate(c)) {
                    throw error("lone surrogate \\u" + Integer.toHexString(c) + " in a string");
                } else {
                    sb.append(c);
                }
            }
            default -> {
                pos = backslash;
                throw error("invalid escape '\\" + printable(e) + "' in a string");
            }
        }
    }

    private char hex4() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = pos < in.length ? Character.digit(in[pos], 16) : -1;
            if (d < 0) {
                throw error("expected 4 hex digits after \\u, found " + found());
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }
}
