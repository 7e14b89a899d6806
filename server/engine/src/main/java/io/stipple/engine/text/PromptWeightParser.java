package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * ComfyUI's prompt-weight syntax ({@code comfy/sd1_clip.py}: {@code escape_important},
 * {@code parse_parentheses}, {@code token_weights}, {@code unescape_important}), reproduced with its
 * quirks because prompts written for ComfyUI must weigh the same here:
 * <ul>
 *   <li>"(text)" multiplies the weight by 1.1 at every nesting level: "((text))" is 1.1·1.1.</li>
 *   <li>"(text:w)" sets the weight to w (replacing, not multiplying); the number is what follows the
 *       last ':' inside the group, parsed like Python's {@code float()}. If that fails, or the ':'
 *       is the group's first character, the group is an ordinary "(…)" and keeps ":w" as text.</li>
 *   <li>"\(" and "\)" are literal parentheses; "[text]" is plain text (no de-emphasis).</li>
 *   <li>An unmatched "(" is kept as text; an unmatched ")" is kept as text and makes the next "("
 *       part of the text too (the nesting count went negative).</li>
 * </ul>
 * Weights are doubles, as in Python; they become float32 only in the final chunks.
 */
final class PromptWeightParser {
    /** What "\)" and "\(" stand for while groups are parsed, so that they never open or close one. */
    private static final String ESCAPED_CLOSE = "\0\1";
    private static final String ESCAPED_OPEN = "\0\2";
    private static final double PAREN_FACTOR = 1.1;

    private PromptWeightParser() {}

    /** A stretch of prompt text and the weight its tokens get. */
    record WeightedText(String text, double weight) {}

    /** The prompt as weighted stretches, in order, with escaped parentheses restored to "(" and ")". */
    static List<WeightedText> parse(String prompt) {
        List<WeightedText> raw = new ArrayList<>();
        tokenWeights(escape(prompt), 1.0, raw);
        List<WeightedText> out = new ArrayList<>(raw.size());
        for (WeightedText w : raw) {
            out.add(new WeightedText(unescape(w.text()), w.weight()));
        }
        return out;
    }

    static String escape(String text) {
        return text.replace("\\)", ESCAPED_CLOSE).replace("\\(", ESCAPED_OPEN);
    }

    static String unescape(String text) {
        return text.replace(ESCAPED_CLOSE, ")").replace(ESCAPED_OPEN, "(");
    }

    private static void tokenWeights(String text, double currentWeight, List<WeightedText> out) {
        for (String part : topLevelParts(text)) {
            if (part.length() >= 2 && part.charAt(0) == '(' && part.charAt(part.length() - 1) == ')') {
                String inner = part.substring(1, part.length() - 1);
                double weight = currentWeight * PAREN_FACTOR;
                int colon = inner.lastIndexOf(':');
                if (colon > 0) {
                    OptionalDouble explicit = PythonFloat.parse(inner.substring(colon + 1));
                    if (explicit.isPresent()) {
                        weight = explicit.getAsDouble();
                        inner = inner.substring(0, colon);
                    }
                }
                tokenWeights(inner, weight, out);
            } else {
                out.add(new WeightedText(part, currentWeight));
            }
        }
    }

    /** {@code parse_parentheses}: the text split into top-level "(…)" groups and the text between them. */
    static List<String> topLevelParts(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int nesting = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                if (nesting == 0) {
                    if (!current.isEmpty()) {
                        result.add(current.toString());
                    }
                    current.setLength(0);
                }
                current.append(c);
                nesting++;
            } else if (c == ')') {
                nesting--;
                if (nesting == 0) {
                    result.add(current.append(')').toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            result.add(current.toString());
        }
        return result;
    }
}
