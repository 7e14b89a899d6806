package io.stipple.engine.pipeline;

/**
 * A request value as an error message may show it: at most {@link #MAX_CHARS} characters, with
 * control characters escaped. A message that echoed a 70,000-character name whole would not fit in
 * gRPC's status metadata (the client would get "metadata size exceeds limit" instead of the error),
 * and a NUL or newline copied into a log line breaks the tools that read the log.
 */
public final class QuotedValue {
    public static final int MAX_CHARS = 80;

    private QuotedValue() {}

    /** {@code value} escaped and cut to a bounded prefix that says how long the whole was. */
    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        int shown = value.offsetByCodePoints(0, Math.min(value.codePointCount(0, value.length()), MAX_CHARS));
        StringBuilder out = new StringBuilder(shown + 32);
        value.substring(0, shown).codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (shown < value.length()) {
            out.append("… (").append(value.length()).append(" characters)");
        }
        return out.toString();
    }
}
