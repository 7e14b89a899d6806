package io.stipple.engine.conditioning;

import io.stipple.engine.embeddings.EmbeddingLibrary;
import io.stipple.engine.model.clip.ClipLayer;
import io.stipple.engine.model.clip.WeightedClipEncoder;
import io.stipple.engine.text.PromptTokenizer;
import io.stipple.engine.text.TokenChunk;
import io.stipple.engine.text.TokenizedPrompt;
import io.stipple.tensor.Ops;
import io.stipple.tensor.Tensor;
import io.stipple.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * SDXL's prompt encoder (ComfyUI's SDXLClipModel): CLIP-L and OpenCLIP bigG each read from the
 * penultimate layer without the final norm, concatenated per token; the pooled, projected bigG
 * output of the first chunk.
 */
public final class SdxlTextEncoder implements TextEncoder {
    private static final int DEFAULT_LAYER = -2;

    private final PromptTokenizer tokenizerL = PromptTokenizer.clipL();
    private final PromptTokenizer tokenizerG = PromptTokenizer.clipG();
    private final WeightedClipEncoder clipL;
    private final WeightedClipEncoder clipG;
    private final EmbeddingLibrary embeddings;

    public SdxlTextEncoder(WeightedClipEncoder clipL, WeightedClipEncoder clipG) {
        this(clipL, clipG, EmbeddingLibrary.NONE);
    }

    private SdxlTextEncoder(WeightedClipEncoder clipL, WeightedClipEncoder clipG, EmbeddingLibrary embeddings) {
        this.clipL = clipL;
        this.clipG = clipG;
        this.embeddings = embeddings;
    }

    @Override
    public TextEncoder withEmbeddings(EmbeddingLibrary library) {
        return new SdxlTextEncoder(clipL, clipG, library);
    }

    @Override
    public EmbeddingLibrary embeddings() {
        return embeddings;
    }

    @Override
    public EncodedPrompt encode(String prompt, int clipSkip) {
        TokenizedPrompt l = tokenizerL.tokenize(prompt, embeddings.forEncoder("clip_l"), clipL.model().width());
        TokenizedPrompt g = tokenizerG.tokenize(prompt, embeddings.forEncoder("clip_g"), clipG.model().width());
        return encode(l, g, clipSkip);
    }

    /**
     * ComfyUI's CLIPTextEncodeSDXL: {@code textG} for bigG and {@code textL} for CLIP-L; when they give
     * different numbers of chunks, the shorter is padded with the chunks of an empty prompt.
     */
    public EncodedPrompt encode(String textG, String textL, int clipSkip) {
        TokenizedPrompt l = tokenizerL.tokenize(textL, embeddings.forEncoder("clip_l"), clipL.model().width());
        TokenizedPrompt g = tokenizerG.tokenize(textG, embeddings.forEncoder("clip_g"), clipG.model().width());
        return encode(padded(l, g.chunkCount(), tokenizerL), padded(g, l.chunkCount(), tokenizerG), clipSkip);
    }

    private static TokenizedPrompt padded(TokenizedPrompt t, int chunks, PromptTokenizer tokenizer) {
        if (t.chunkCount() >= chunks) {
            return t;
        }
        List<TokenChunk> all = new ArrayList<>(t.chunks());
        TokenChunk empty = tokenizer.tokenize("").chunk(0);
        while (all.size() < chunks) {
            all.add(empty);
        }
        return new TokenizedPrompt(all, t.droppedEmbeddings(), t.mismatchedEmbeddings());
    }

    private EncodedPrompt encode(TokenizedPrompt l, TokenizedPrompt g, int clipSkip) {
        ClipLayer layer = ClipLayer.rawHidden(clipSkip == 0 ? DEFAULT_LAYER : clipSkip);
        try (TensorScope scope = clipL.model().ops().scope()) {
            var outL = clipL.encode(Sd1TextEncoder.ids(l), Sd1TextEncoder.weights(l), Sd1TextEncoder.vectors(l), layer, false);
            var outG = clipG.encode(Sd1TextEncoder.ids(g), Sd1TextEncoder.weights(g), Sd1TextEncoder.vectors(g), layer, true);
            Ops ops = outL.hidden().ops();
            // the two tokenizers can disagree on chunk counts only through padding rules; ComfyUI cuts to the shorter
            int tokens = Math.min(outL.hidden().dim(1), outG.hidden().dim(1));
            Tensor context = ops.concat(2, ops.narrow(outL.hidden(), 1, 0, tokens), ops.narrow(outG.hidden(), 1, 0, tokens));
            return new EncodedPrompt(scope.keep(context), scope.keep(outG.pooled()), Prompts.warnings(l, g));
        }
    }

    @Override
    public int layers() {
        return clipL.model().layers();
    }
}
