package io.stipple.engine.conditioning;

import io.stipple.engine.embeddings.EmbeddingLibrary;

/**
 * A model family's prompt encoder: tokenizer, weighting and CLIP text model(s), from prompt text
 * to the UNet's cross-attention context (and SDXL's pooled vector).
 */
public interface TextEncoder {

    /**
     * @param clipSkip ComfyUI's CLIPSetLastLayer value: -1 the last layer, -2 the penultimate...;
     *     0 for the family's default
     */
    EncodedPrompt encode(String prompt, int clipSkip);

    /** Layers of the (first) text model: clip skip may go down to {@code -layers()}. */
    int layers();

    /** This encoder reading "embedding:NAME" from {@code embeddings} (the same text models). */
    TextEncoder withEmbeddings(EmbeddingLibrary embeddings);

    EmbeddingLibrary embeddings();
}
