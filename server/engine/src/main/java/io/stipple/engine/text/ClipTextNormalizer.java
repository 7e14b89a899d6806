package io.stipple.engine.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * The text clean-up of transformers' slow {@code CLIPTokenizer} when ftfy is not installed (the
 * usual case in ComfyUI installs, and what produced the golden data): its BERT {@code BasicTokenizer}
 * with lower-casing on, accent stripping and punctuation splitting off. In order: drop NUL,
 * U+FFFD and every category C character except tab/newline/CR; turn those and Zs into spaces; put
 * spaces around CJK ideographs; NFC; split on whitespace; lower-case each word.
 *
 * <p>There is deliberately no HTML unescaping and no ftfy repair: that path is not taken, so
 * {@code &amp;} stays three pre-tokens ({@code &}, {@code amp}, {@code ;}) exactly as in ComfyUI.
 */
final class ClipTextNormalizer {
    private ClipTextNormalizer() {}

    /** The lower-cased, whitespace-free words of {@code text}, in order. */
    static List<String> words(String text) {
        String cleaned = Normalizer.normalize(clean(text), Normalizer.Form.NFC);
        List<String> words = PythonText.split(cleaned);
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) {
            out.addAll(PythonText.split(PythonText.lower(w)));
        }
        return out;
    }

    private static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isBertWhitespace(cp)) {
                sb.append(' ');
            } else if (isCjkIdeograph(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    private static boolean isBertWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** The CJK Unified Ideographs blocks that BERT's tokenizer isolates (not Hangul, kana or CJK punctuation). */
    private static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
