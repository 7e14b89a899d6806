package io.stipple.engine.conditioning;

import io.stipple.engine.text.TokenizedPrompt;
import java.util.List;

/** Warnings about what a prompt's tokenizer dropped. */
final class Prompts {
    private Prompts() {}

    static List<String> warnings(TokenizedPrompt prompt) {
        return warnings(prompt, prompt);
    }

    /**
     * For SDXL, which tokenizes once per encoder: the missing embeddings once, and each embedding one of
     * the encoders left out because its vectors are not as wide as that encoder's ("l" or "g").
     */
    static List<String> warnings(TokenizedPrompt l, TokenizedPrompt g) {
        List<String> out = new java.util.ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(l.droppedEmbeddings())) {
            out.add("embedding " + name + " is not installed: left out of the prompt");
        }
        for (String name : new java.util.LinkedHashSet<>(l.mismatchedEmbeddings())) {
            out.add("embedding " + name + " does not fit this model's text encoder (its vectors are another width): left out of the prompt");
        }
        if (g != l) {
            for (String name : new java.util.LinkedHashSet<>(g.mismatchedEmbeddings())) {
                out.add("embedding " + name + " does not fit this model's second text encoder (clip_g; its vectors are another width):"
                        + " used by clip_l only");
            }
        }
        return out;
    }
}
