package io.stipple.format.safetensors;

/** Quotes names and values from a file for messages, so that a hostile one stays short and printable. */
final class Names {
    private static final int MAX_CHARS = 120;

    private Names() {}

    /** {@code 'name'}, control characters escaped, cut to a readable length. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), MAX_CHARS);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > MAX_CHARS) {
            sb.append("...(").append(s.length()).append(" chars)");
        }
        return sb.append('\'').toString();
    }
}
