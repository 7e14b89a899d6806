package io.stipple.engine.text;

import java.util.List;

/**
 * A prompt as one encoder's input: one or more {@link TokenChunk}s (ComfyUI encodes each chunk
 * separately and concatenates the results along the token axis); the names of the
 * "embedding:NAME" references that were dropped because no such embedding is installed, and of
 * those whose vectors are not as wide as this encoder (an SD1.5 embedding under SDXL's bigG) and
 * were left out of it. ComfyUI drops both with a warning; callers should show them to the user.
 */
public record TokenizedPrompt(List<TokenChunk> chunks, List<String> droppedEmbeddings, List<String> mismatchedEmbeddings) {
    public TokenizedPrompt(List<TokenChunk> chunks, List<String> droppedEmbeddings) {
        this(chunks, droppedEmbeddings, List.of());
    }

    public TokenizedPrompt {
        chunks = List.copyOf(chunks);
        droppedEmbeddings = List.copyOf(droppedEmbeddings);
        mismatchedEmbeddings = List.copyOf(mismatchedEmbeddings);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("tokenized prompt: no chunks (expected: at least one)");
        }
    }

    public int chunkCount() {
        return chunks.size();
    }

    public TokenChunk chunk(int index) {
        return chunks.get(index);
    }

    /** Whether any chunk has a weight other than 1. */
    public boolean isWeighted() {
        return chunks.stream().anyMatch(TokenChunk::isWeighted);
    }
}
