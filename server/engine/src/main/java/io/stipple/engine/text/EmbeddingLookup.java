package io.stipple.engine.text;

import java.util.Optional;

/**
 * Textual-inversion embeddings by the name a prompt gives them ("embedding:NAME"), for one text
 * encoder: each found embedding is its vectors, one per token slot it fills, as the file holds them
 * for that encoder (SDXL files have one set for clip_l and one for clip_g).
 */
@FunctionalInterface
public interface EmbeddingLookup {
    /** No embeddings installed: every reference is missing, as in ComfyUI without the file. */
    EmbeddingLookup NONE = name -> Optional.empty();

    /** The vectors (count, width) of the embedding {@code name}, or empty when there is none by that name. */
    Optional<float[][]> vectors(String name);
}
