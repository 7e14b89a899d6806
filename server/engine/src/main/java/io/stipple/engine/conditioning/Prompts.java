package io.stipple.engine.conditioning;

import io.stipple.engine.text.TokenizedPrompt;
import java.util.List;

/** Warnings about what a prompt's tokenizer dropped. */
final class Prompts {
    private Prompts() {}

    static List<String> warnings(TokenizedPrompt prompt) {
        return prompt.droppedEmbeddings().stream()
                .map(name -> "embedding " + name + " is not installed: left out of the prompt")
                .toList();
    }
}
