package io.stipple.engine.conditioning;

import io.stipple.engine.embeddings.EmbeddingLibrary;
import io.stipple.engine.model.clip.ClipLayer;
import io.stipple.engine.model.clip.WeightedClipEncoder;
import io.stipple.engine.text.PromptTokenizer;
import io.stipple.engine.text.TokenChunk;
import io.stipple.engine.text.TokenizedPrompt;
import java.util.ArrayList;
import java.util.List;

/** SD1.x's prompt encoder: CLIP-L, the last layer normalised by default, clip skip as CLIPSetLastLayer. */
public final class Sd1TextEncoder implements TextEncoder {
    private final PromptTokenizer tokenizer = PromptTokenizer.clipL();
    private final WeightedClipEncoder clipL;
    private final EmbeddingLibrary embeddings;

    public Sd1TextEncoder(WeightedClipEncoder clipL) {
        this(clipL, EmbeddingLibrary.NONE);
    }

    private Sd1TextEncoder(WeightedClipEncoder clipL, EmbeddingLibrary embeddings) {
        this.clipL = clipL;
        this.embeddings = embeddings;
    }

    @Override
    public EncodedPrompt encode(String prompt, int clipSkip) {
        TokenizedPrompt tokens = tokenizer.tokenize(prompt, embeddings.forEncoder("clip_l"), clipL.model().width());
        ClipLayer layer = clipSkip == 0 ? ClipLayer.LAST : ClipLayer.normalizedHidden(clipSkip);
        var encoded = clipL.encode(ids(tokens), weights(tokens), vectors(tokens), layer, false);
        return new EncodedPrompt(encoded.hidden(), null, Prompts.warnings(tokens));
    }

    @Override
    public TextEncoder withEmbeddings(EmbeddingLibrary library) {
        return new Sd1TextEncoder(clipL, library);
    }

    @Override
    public EmbeddingLibrary embeddings() {
        return embeddings;
    }

    static List<float[][]> vectors(TokenizedPrompt prompt) {
        List<float[][]> out = new ArrayList<>();
        for (TokenChunk c : prompt.chunks()) {
            out.add(c.vectors());
        }
        return out;
    }

    @Override
    public int layers() {
        return clipL.model().layers();
    }

    static List<int[]> ids(TokenizedPrompt prompt) {
        List<int[]> out = new ArrayList<>();
        for (TokenChunk c : prompt.chunks()) {
            out.add(c.ids());
        }
        return out;
    }

    static List<float[]> weights(TokenizedPrompt prompt) {
        List<float[]> out = new ArrayList<>();
        for (TokenChunk c : prompt.chunks()) {
            out.add(c.weights());
        }
        return out;
    }
}
