package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.text.EmbeddingSyntax.Embedding;
import io.stipple.engine.text.EmbeddingSyntax.Piece;
import io.stipple.engine.text.EmbeddingSyntax.Text;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which characters ComfyUI drops with a missing embedding and which it tokenizes. */
class EmbeddingSyntaxTest {

    private static void assertPieces(String text, Piece... expected) {
        assertEquals(List.of(expected), EmbeddingSyntax.split(text), "\"" + text + "\"");
    }

    @Test
    void textWithoutReferencesIsOnePiece() {
        assertPieces("a photo of a cat", new Text("a photo of a cat"));
        assertPieces("");
    }

    @Test
    void aReferenceAfterWhitespaceOrAtTheStart() {
        assertPieces("a embedding:bad rest", new Text("a "), new Embedding("bad"), new Text("rest"));
        assertPieces("embedding:bad", new Embedding("bad"));
        assertPieces("x\tembedding:bad", new Text("x\t"), new Embedding("bad"));
    }

    @Test
    void aReferenceGluedToAWordIsText() {
        assertPieces("photoembedding:x", new Text("photoembedding:x"));
        assertPieces("(embedding:x", new Text("(embedding:x"));
    }

    @Test
    void theNameEndsAtWhitespaceAngleOrSquareBracket() {
        assertPieces("x embedding:na[me] rest", new Text("x "), new Embedding("na"), new Text("[me] rest"));
        assertPieces("x embedding:na<lora> rest", new Text("x "), new Embedding("na"), new Text("<lora> rest"));
        assertPieces("x embedding:[all]", new Text("x "), new Embedding(""), new Text("[all]"));
    }

    @Test
    void trailingCommasGoBackToTheText() {
        assertPieces("x embedding:name, rest", new Text("x "), new Embedding("name,"), new Text(", rest"));
        assertPieces("x embedding:name,", new Text("x "), new Embedding("name,"), new Text(", "));
        // Python slices the name at the stripped length: ",a," hands back "a," (one leading comma lost).
        assertPieces("x embedding:,a, rest", new Text("x "), new Embedding(",a,"), new Text("a, rest"));
    }

    @Test
    void whitespaceInTheLeftoverIsNormalisedToSingleSpaces() {
        assertPieces("embedding:bad  two\n\nwords", new Embedding("bad"), new Text("two words"));
    }

    @Test
    void newlinesAroundTheReferenceAreStripped() {
        assertPieces("x\nembedding:name\nnext", new Text("x\n"), new Embedding("name"), new Text("next"));
    }

    @Test
    void severalReferences() {
        assertPieces("a embedding:one b embedding:two", new Text("a "), new Embedding("one"), new Text("b"), new Embedding("two"));
    }

    @Test
    void aReferenceWithoutANameIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> EmbeddingSyntax.split("a embedding:   "));
        assertEquals("prompt: 'embedding:   ' names no embedding (expected: a name after 'embedding:')", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingSyntax.split("embedding:\n"));
    }
}
