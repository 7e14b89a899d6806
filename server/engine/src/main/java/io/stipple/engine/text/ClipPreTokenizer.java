package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP's pre-tokenizer, the regex
 * {@code <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+}
 * (case-insensitive), applied to one whitespace-free word as {@code findall} does: at each
 * position the first alternative that matches wins, and the punctuation run is greedy (it swallows
 * an apostrophe or a special token that follows punctuation). Every number character is a
 * pre-token of its own, which is why "1024" becomes four tokens.
 */
final class ClipPreTokenizer {
    private static final String[] SPECIALS = {ClipVocabulary.START_TOKEN, ClipVocabulary.END_TOKEN};
    private static final String[] CONTRACTIONS = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};

    private ClipPreTokenizer() {}

    /** The pre-tokens of {@code word}, which must contain no whitespace. */
    static List<String> split(String word) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = word.length();
        while (i < n) {
            int end = matchLiteral(word, i, SPECIALS);
            if (end < 0) {
                end = matchLiteral(word, i, CONTRACTIONS);
            }
            if (end < 0) {
                int cp = word.codePointAt(i);
                if (Character.isLetter(cp)) {
                    end = skipWhile(word, i, CharClass.LETTER);
                } else if (isNumber(cp)) {
                    end = i + Character.charCount(cp);
                } else if (PythonText.isSpace(cp)) {
                    i += Character.charCount(cp);
                    continue;
                } else {
                    end = skipWhile(word, i, CharClass.OTHER);
                }
            }
            out.add(word.substring(i, end));
            i = end;
        }
        return out;
    }

    /** The end of the first literal that matches at {@code at}, ignoring case, or -1. */
    private static int matchLiteral(String s, int at, String[] literals) {
        for (String lit : literals) {
            if (s.regionMatches(true, at, lit, 0, lit.length())) {
                return at + lit.length();
            }
        }
        return -1;
    }

    private enum CharClass { LETTER, OTHER }

    private static int skipWhile(String s, int i, CharClass cls) {
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            boolean in = cls == CharClass.LETTER
                    ? Character.isLetter(cp)
                    : !Character.isLetter(cp) && !isNumber(cp) && !PythonText.isSpace(cp);
            if (!in) {
                break;
            }
            i += Character.charCount(cp);
        }
        return i;
    }

    /** \p{N}: decimal digits, letter numbers (Roman numerals) and other numbers (superscripts, fractions). */
    private static boolean isNumber(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }
}
