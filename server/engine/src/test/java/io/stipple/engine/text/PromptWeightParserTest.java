package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.text.PromptWeightParser.WeightedText;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from ComfyUI's token_weights docstring plus the syntax corners; weights are Python doubles. */
class PromptWeightParserTest {

    private static WeightedText w(String text, double weight) {
        return new WeightedText(text, weight);
    }

    private static void assertParses(String prompt, WeightedText... expected) {
        assertEquals(List.of(expected), PromptWeightParser.parse(prompt), "prompt \"" + prompt + "\"");
    }

    @Test
    void plainTextHasWeightOne() {
        assertParses("a photo of a cat", w("a photo of a cat", 1.0));
        assertParses("");
    }

    @Test
    void explicitWeight() {
        assertParses("(red:1.2) apple", w("red", 1.2), w(" apple", 1.0));
        assertParses("(foo:2.0)", w("foo", 2.0));
        assertParses("(foo:0.0)", w("foo", 0.0));
        assertParses("(word: 1.5 )", w("word", 1.5));
    }

    @Test
    void parenthesesMultiplyByOnePointOnePerLevel() {
        assertParses("(foo)", w("foo", 1.1));
        assertParses("(foo)(bar)", w("foo", 1.1), w("bar", 1.1));
        assertParses("((foo))", w("foo", 1.1 * 1.1));
        assertParses("(((foo)))", w("foo", 1.1 * 1.1 * 1.1));
    }

    @Test
    void explicitWeightReplacesRatherThanMultiplies() {
        assertParses("((foo):1.1)", w("foo", 1.1 * 1.1));
        assertParses("((foo:1.1))", w("foo", 1.1));
        assertParses("((foo:1.0):0.0)", w("foo", 1.0));
        assertParses("foo ((((lol (cat:666) attack:100)))) baz",
                w("foo ", 1.0), w("lol ", 100.0), w("cat", 666.0), w(" attack", 100.0), w(" baz", 1.0));
        assertParses("foo ((((lol (cat:666) attack):100))) baz",
                w("foo ", 1.0), w("lol ", 100.0 * 1.1), w("cat", 666.0), w(" attack", 100.0 * 1.1), w(" baz", 1.0));
    }

    @Test
    void unparsableWeightKeepsTheTextAndTheParenthesesFactor() {
        assertParses("(word:abc)", w("word:abc", 1.1));
        assertParses("(word:)", w("word:", 1.1));
        assertParses("(word:1.5f)", w("word:1.5f", 1.1));
        assertParses("(word:0x10)", w("word:0x10", 1.1));
    }

    @Test
    void onlyTheLastColonCountsAndNotAtTheStart() {
        assertParses("(a:b:0.5)", w("a:b", 0.5));
        assertParses("(:1.5)", w(":1.5", 1.1));
    }

    @Test
    void pythonFloatSyntaxIsAccepted() {
        assertParses("(word:1_0)", w("word", 10.0));
        assertParses("(word:+.5e1)", w("word", 5.0));
        assertParses("(word:-0.5)", w("word", -0.5));
        assertParses("(word:\u0661\u0662)", w("word", 12.0));
        assertParses("(word:inf)", w("word", Double.POSITIVE_INFINITY));
    }

    @Test
    void escapedParenthesesAreLiteral() {
        assertParses("an escaped \\(literal\\) paren", w("an escaped (literal) paren", 1.0));
        assertParses("\\((x)\\)", w("(", 1.0), w("x", 1.1), w(")", 1.0));
    }

    @Test
    void squareBracketsArePlainText() {
        assertParses("[word] and [[more]]", w("[word] and [[more]]", 1.0));
    }

    @Test
    void emptyGroupsVanishAndBlankGroupsStay() {
        assertParses("a()b", w("a", 1.0), w("b", 1.0));
        assertParses("( )", w(" ", 1.1));
    }

    @Test
    void unbalancedParenthesesAreText() {
        assertParses("unbalanced (open", w("unbalanced ", 1.0), w("(open", 1.0));
        // The stray ')' takes the nesting count below zero, so the following group is text as well.
        assertParses("a) b (c) d", w("a) b (c) d", 1.0));
    }

    @Test
    void topLevelPartsFollowParseParentheses() {
        assertEquals(List.of("(foo)", "(bar)"), PromptWeightParser.topLevelParts("(foo)(bar)"));
        assertEquals(List.of("(foo(bar)(test1))", "(test2(test3))"), PromptWeightParser.topLevelParts("(foo(bar)(test1))(test2(test3))"));
        assertEquals(List.of("a ", "(b)", " c"), PromptWeightParser.topLevelParts("a (b) c"));
    }

    @Test
    void escapeAndUnescapeRoundTrip() {
        assertEquals("\0\2foo\0\1(bar)", PromptWeightParser.escape("\\(foo\\)(bar)"));
        assertEquals("(foo)(bar)", PromptWeightParser.unescape("\0\2foo\0\1(bar)"));
    }
}
