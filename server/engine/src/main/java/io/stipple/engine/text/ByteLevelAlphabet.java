package io.stipple.engine.text;

/**
 * GPT-2/CLIP's {@code bytes_to_unicode}: every byte value gets a printable character so that BPE
 * can work on strings without whitespace or control characters. Printable Latin-1 bytes map to
 * themselves; the other 68 bytes map, in order, to U+0100 upwards.
 */
final class ByteLevelAlphabet {
    private static final char[] CHARS = build();

    private ByteLevelAlphabet() {}

    /** The character that stands for byte {@code b} (0..255). */
    static char charOf(int b) {
        return CHARS[b];
    }

    private static char[] build() {
        char[] chars = new char[256];
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            chars[b] = printable[b] ? (char) b : (char) next++;
        }
        return chars;
    }
}
