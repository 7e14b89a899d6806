package io.stipple.engine.text;

import io.stipple.engine.pipeline.InvalidRequestException;
import io.stipple.engine.pipeline.QuotedValue;

/**
 * The weights a prompt may carry. ComfyUI takes "(word:nan)", "(word:inf)" and "(word:1e308)" and
 * draws a black image (the weighted embedding is NaN or infinite in float32), and 50,000 nested
 * parentheses exhaust its recursion; here each is refused before the job is queued, naming the value.
 */
public final class PromptWeights {
    /** Far beyond any weight that changes a picture usefully (A1111 users stay below 2), and finite in float32. */
    public static final double MAX_ABS_WEIGHT = 100;
    /** "((((word))))" multiplies by 1.1 per level: 100 levels is a weight of 13,780. */
    public static final int MAX_NESTING = 100;

    private PromptWeights() {}

    /** @throws InvalidRequestException naming {@code field} for a weight that is not finite or out of range */
    public static void check(String prompt, String field) {
        problem(prompt).ifPresent(p -> {
            throw new InvalidRequestException(field, p);
        });
    }

    /** What is wrong with the prompt's weights, if anything: the message without a field (workflows name the node input). */
    public static java.util.Optional<String> problem(String prompt) {
        int depth = nesting(PromptWeightParser.escape(prompt));
        if (depth > MAX_NESTING) {
            return java.util.Optional.of("parentheses nested " + depth + " deep (expected: at most " + MAX_NESTING + ")");
        }
        for (PromptWeightParser.WeightedText w : PromptWeightParser.parse(prompt)) {
            if (!Double.isFinite(w.weight()) || Math.abs(w.weight()) > MAX_ABS_WEIGHT) {
                return java.util.Optional.of("the weight " + w.weight() + " of " + QuotedValue.of(w.text().strip())
                        + " (expected: a finite number from " + -MAX_ABS_WEIGHT + " to " + MAX_ABS_WEIGHT + ")");
            }
        }
        return java.util.Optional.empty();
    }

    /** The deepest unescaped "(" nesting; the parser recurses at most this deep. */
    private static int nesting(String escaped) {
        int depth = 0;
        int max = 0;
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '(') {
                max = Math.max(max, ++depth);
            } else if (c == ')' && depth > 0) {
                depth--;
            }
        }
        return max;
    }
}
