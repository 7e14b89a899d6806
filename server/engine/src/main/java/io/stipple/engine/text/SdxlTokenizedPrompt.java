package io.stipple.engine.text;

import java.util.Objects;

/**
 * A prompt tokenized for both SDXL text encoders, as ComfyUI's {@code SDXLTokenizer} does: the
 * same text through CLIP-L ("l", padded with the end token) and OpenCLIP bigG ("g", padded with 0).
 * The two share the vocabulary, so their ids and weights differ only in padding.
 */
public record SdxlTokenizedPrompt(TokenizedPrompt l, TokenizedPrompt g) {
    public SdxlTokenizedPrompt {
        Objects.requireNonNull(l, "l");
        Objects.requireNonNull(g, "g");
    }

    public static SdxlTokenizedPrompt tokenize(String prompt) {
        return new SdxlTokenizedPrompt(PromptTokenizer.clipL().tokenize(prompt), PromptTokenizer.clipG().tokenize(prompt));
    }
}
