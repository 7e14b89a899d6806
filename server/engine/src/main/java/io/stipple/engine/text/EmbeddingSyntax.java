package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.List;

/**
 * ComfyUI's "embedding:NAME" references (textual-inversion embeddings) inside a weighted stretch of
 * prompt text. A reference starts a stretch or follows whitespace ("photoembedding:x" is text);
 * the name runs to the first whitespace, '<' or '[' (the rest is text again), and when no embedding
 * has that name ComfyUI retries it with trailing commas stripped, handing the commas back to the
 * text (SDTokenizer._try_get_embedding). This class reproduces exactly which characters become the
 * name and which stay text, for embeddings found and missing alike, so that the tokens match ComfyUI's.
 */
final class EmbeddingSyntax {
    static final String PREFIX = "embedding:";

    private EmbeddingSyntax() {}

    /** A piece of a stretch: text to tokenize, or an embedding reference. */
    sealed interface Piece permits Text, Embedding {}

    record Text(String text) implements Piece {}

    /**
     * A reference: the name as written, and the embedding's vectors (count, width), or null when there is
     * no embedding by that name (nor by it without trailing commas).
     */
    record Embedding(String name, float[][] vectors) implements Piece {
        /** A reference to an embedding that is not installed. */
        Embedding(String name) {
            this(name, null);
        }

        boolean found() {
            return vectors != null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Embedding e && name.equals(e.name) && java.util.Arrays.deepEquals(vectors, e.vectors);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    /** The pieces of {@code text} in order, with no embedding installed; empty texts are left out. */
    static List<Piece> split(String text) {
        return split(text, EmbeddingLookup.NONE);
    }

    /** The pieces of {@code text} in order, each reference looked up in {@code embeddings}; empty texts are left out. */
    static List<Piece> split(String text, EmbeddingLookup embeddings) {
        List<Piece> out = new ArrayList<>();
        for (String word : splitAtReferences(text)) {
            if (!word.startsWith(PREFIX)) {
                out.add(new Text(word));
                continue;
            }
            resolve(PythonText.strip(word.substring(PREFIX.length()), '\n'), embeddings, out);
        }
        return out;
    }

    /** {@code re.split(r'(?<=\s)embedding:', text)} with the prefix put back on every piece after the first. */
    private static List<String> splitAtReferences(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        int from = 0;
        while (true) {
            int at = text.indexOf(PREFIX, from);
            if (at < 0) {
                break;
            }
            if (at > 0 && PythonText.isSpace(text.codePointBefore(at))) {
                words.add(text.substring(start, at));
                start = at;
            }
            from = at + 1;
        }
        words.add(text.substring(start));
        words.removeIf(String::isEmpty);
        return words;
    }

    /** {@code SDTokenizer._try_get_embedding}. */
    private static void resolve(String reference, EmbeddingLookup embeddings, List<Piece> out) {
        List<String> parts = PythonText.split(reference);
        if (parts.isEmpty()) {
            // ComfyUI fails here with an IndexError; say what is wrong instead.
            throw new IllegalArgumentException("prompt: '" + PREFIX + reference + "' names no embedding (expected: a name after '"
                    + PREFIX + "')");
        }
        String name = parts.get(0);
        String leftover = String.join(" ", parts.subList(1, parts.size()));
        int bracket = firstOf(name, '<', '[');
        if (bracket >= 0) {
            leftover = name.substring(bracket) + (leftover.isEmpty() ? "" : " " + leftover);
            name = name.substring(0, bracket);
        }
        float[][] vectors = embeddings.vectors(name).orElse(null);
        String stripped = PythonText.strip(name, ',');
        if (vectors == null && stripped.length() < name.length()) {
            // Python slices by the stripped length (in code points), not at the stripped name's end:
            // ",a," hands back "a,".
            int cut = name.offsetByCodePoints(0, stripped.codePointCount(0, stripped.length()));
            leftover = name.substring(cut) + " " + leftover;
            vectors = embeddings.vectors(stripped).orElse(null);
            if (vectors != null) {
                name = stripped;
            }
        }
        out.add(new Embedding(name, vectors));
        if (!leftover.isEmpty()) {
            out.add(new Text(leftover));
        }
    }

    private static int firstOf(String s, char a, char b) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == a || s.charAt(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
