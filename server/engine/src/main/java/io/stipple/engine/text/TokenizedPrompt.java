package io.stipple.engine.text;

import java.util.List;

/**
 * A prompt as one encoder's input: one or more {@link TokenChunk}s (ComfyUI encodes each chunk
 * separately and concatenates the results along the token axis), and the names of the
 * "embedding:NAME" references that were dropped because Stipple has no such embedding — ComfyUI
 * drops them the same way, with a warning; callers should show them to the user.
 */
public record TokenizedPrompt(List<TokenChunk> chunks, List<String> droppedEmbeddings) {
    public TokenizedPrompt {
        chunks = List.copyOf(chunks);
        droppedEmbeddings = List.copyOf(droppedEmbeddings);
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
