package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Python {@code str} behaviours that ComfyUI's and transformers' tokenizer code relies on,
 * where Java's nearest equivalents differ ({@code Character.isWhitespace} excludes U+00A0 and
 * includes U+001C..U+001F differently, {@code String.strip} is not {@code str.strip}).
 */
final class PythonText {
    private PythonText() {}

    /** {@code str.isspace()} for one code point: bidi class WS, B or S, or category Zs (a fixed set since Unicode 6.3). */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D)
                || (cp >= 0x1C && cp <= 0x20)
                || cp == 0x85
                || cp == 0xA0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028
                || cp == 0x2029
                || cp == 0x202F
                || cp == 0x205F
                || cp == 0x3000;
    }

    /**
     * {@code s.lower()}: the simple lower-case mapping, except U+0130 (to "i" + U+0307) and capital
     * sigma, which becomes final sigma where Python's rule says so. Java's {@code toLowerCase}
     * decides final sigma by word boundaries instead ("xΣ:i" differs), hence this method.
     */
    static String lower(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                sb.append(isFinalSigma(s, i) ? '\u03C2' : '\u03C3');
            } else if (cp == 0x130) {
                sb.append("i\u0307");
            } else {
                sb.appendCodePoint(Character.toLowerCase(cp));
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    private static final int CAPITAL_SIGMA = 0x3A3;
    /** Word_Break MidLetter, MidNumLet and Single_Quote: the punctuation that is Case_Ignorable. */
    private static final int[] CASE_IGNORABLE_PUNCTUATION = {
        0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55, 0xFF07,
        0xFF0E, 0xFF1A};

    /** Final_Sigma: a cased letter before (skipping case-ignorables) and none after (skipping case-ignorables). */
    private static boolean isFinalSigma(String s, int at) {
        int j = at;
        int before = -1;
        while (j > 0) {
            int cp = s.codePointBefore(j);
            j -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                before = cp;
                break;
            }
        }
        if (before < 0 || !isCased(before)) {
            return false;
        }
        j = at + 1;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            j += Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
        }
        return true;
    }

    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    private static boolean isCaseIgnorable(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
                    Character.MODIFIER_SYMBOL -> true;
            default -> java.util.Arrays.binarySearch(CASE_IGNORABLE_PUNCTUATION, cp) >= 0;
        };
    }

    /** {@code s.split()}: the runs of non-whitespace, in order; none for a blank string. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            int start = i;
            while (i < n && !isSpace(s.codePointAt(i))) {
                i += Character.charCount(s.codePointAt(i));
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** {@code s.strip()}: without leading and trailing whitespace. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** {@code s.strip(chars)} for a single character. */
    static String strip(String s, char c) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == c) {
            start++;
        }
        while (end > start && s.charAt(end - 1) == c) {
            end--;
        }
        return s.substring(start, end);
    }
}
