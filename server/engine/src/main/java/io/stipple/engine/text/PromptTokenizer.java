package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A prompt to one text encoder's token chunks, as ComfyUI's {@code SDTokenizer.tokenize_with_weights}
 * produces them: weights from the "(text:1.2)" syntax ({@link PromptWeightParser}), each weighted
 * stretch tokenized on its own ({@link ClipBpeTokenizer}), "embedding:NAME" references replaced by
 * the embedding's vectors, one slot each, or dropped when it is not installed ({@link EmbeddingSyntax}),
 * then packed into chunks ({@link TokenChunker}).
 *
 * <p>Encoders differ only in padding: CLIP-L pads with the end token ({@code pad_with_end}),
 * OpenCLIP bigG (SDXL's clip_g) with token 0. SDXL tokenizes each prompt once per encoder: see
 * {@link SdxlTokenizedPrompt}.
 */
public final class PromptTokenizer {
    /** CLIP's context length: start token, 75 content tokens, end token. */
    public static final int CLIP_MAX_LENGTH = 77;

    private static final System.Logger LOG = System.getLogger(PromptTokenizer.class.getName());

    private final ClipBpeTokenizer bpe;
    private final int maxLength;
    private final boolean padWithEnd;
    private final TokenChunker chunker;

    /**
     * @param maxLength  chunk length, at least 10
     * @param padWithEnd pad with the end token (CLIP-L) instead of token 0 (OpenCLIP bigG)
     */
    public PromptTokenizer(ClipBpeTokenizer bpe, int maxLength, boolean padWithEnd) {
        this.bpe = Objects.requireNonNull(bpe, "bpe");
        this.maxLength = maxLength;
        this.padWithEnd = padWithEnd;
        this.chunker = new TokenChunker(maxLength, bpe.startToken(), bpe.endToken(), padToken());
    }

    /** SD1.x's and SDXL's CLIP ViT-L/14 ("l"): 77 tokens, padded with the end token 49407. */
    public static PromptTokenizer clipL() {
        return new PromptTokenizer(ClipBpeTokenizer.shared(), CLIP_MAX_LENGTH, true);
    }

    /** SDXL's OpenCLIP ViT-bigG/14 ("g"): 77 tokens, padded with 0. */
    public static PromptTokenizer clipG() {
        return new PromptTokenizer(ClipBpeTokenizer.shared(), CLIP_MAX_LENGTH, false);
    }

    public int maxLength() {
        return maxLength;
    }

    public boolean padWithEnd() {
        return padWithEnd;
    }

    public int padToken() {
        return padWithEnd ? bpe.endToken() : 0;
    }

    /** {@code prompt} with no embeddings installed. */
    public TokenizedPrompt tokenize(String prompt) {
        return tokenize(prompt, EmbeddingLookup.NONE, -1);
    }

    /**
     * {@code prompt} for an encoder of {@code width} channels, its "embedding:NAME" references looked up
     * in {@code embeddings}. An embedding of another width keeps its slots while the prompt is cut into
     * chunks, then leaves them, the tokens after it moving up and padding filling the end, as ComfyUI's
     * process_tokens does (the weights stay where they were).
     */
    public TokenizedPrompt tokenize(String prompt, EmbeddingLookup embeddings, int width) {
        Objects.requireNonNull(prompt, "prompt");
        List<TokenChunker.Group> groups = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (PromptWeightParser.WeightedText stretch : PromptWeightParser.parse(prompt)) {
            for (EmbeddingSyntax.Piece piece : EmbeddingSyntax.split(stretch.text(), embeddings)) {
                switch (piece) {
                    case EmbeddingSyntax.Text t -> groups.add(new TokenChunker.Group(bpe.encode(t.text()), stretch.weight()));
                    case EmbeddingSyntax.Embedding e when e.found() -> {
                        groups.add(TokenChunker.Group.ofVectors(e.vectors(), stretch.weight()));
                        if (width >= 0 && e.vectors().length > 0 && e.vectors()[0].length != width) {
                            mismatched.add(e.name());
                            LOG.log(System.Logger.Level.WARNING, "embedding:{0} has vectors of {1} channels where this text encoder has {2}:"
                                    + " left out of it, as ComfyUI does", e.name(), e.vectors()[0].length, width);
                        }
                    }
                    case EmbeddingSyntax.Embedding e -> {
                        dropped.add(e.name());
                        LOG.log(System.Logger.Level.WARNING, "embedding:{0} does not exist, ignoring it as ComfyUI does", e.name());
                    }
                }
            }
        }
        List<TokenChunk> chunks = chunker.chunk(groups);
        if (!mismatched.isEmpty()) {
            chunks = chunks.stream().map(c -> withoutVectorsOtherThan(c, width)).toList();
        }
        return new TokenizedPrompt(chunks, dropped, mismatched);
    }

    /** {@code chunk} without the slots whose vectors are not {@code width} wide, padded at the end; weights in place. */
    private TokenChunk withoutVectorsOtherThan(TokenChunk chunk, int width) {
        int n = chunk.length();
        int[] ids = new int[n];
        float[][] vectors = new float[n][];
        float[][] from = chunk.vectors();
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (from[i] == null || from[i].length == width) {
                ids[size] = chunk.id(i);
                vectors[size] = from[i];
                size++;
            }
        }
        java.util.Arrays.fill(ids, size, n, padToken());
        return new TokenChunk(ids, chunk.weights(), vectors);
    }
}
