package io.stipple.engine.conditioning;

import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.checkpoint.CheckpointOpener;
import io.stipple.engine.embeddings.EmbeddingLibrary;
import io.stipple.engine.pipeline.ModelLoader;
import io.stipple.engine.pipeline.StableDiffusionModel;
import io.stipple.engine.testing.TestBackend;
import io.stipple.engine.testing.TestModels;
import io.stipple.engine.testing.TestPlugins;
import io.stipple.engine.text.PromptTokenizer;
import io.stipple.engine.text.TokenChunk;
import io.stipple.engine.text.TokenizedPrompt;
import io.stipple.engine.weights.CheckpointParameters;
import io.stipple.engine.weights.WeightPolicy;
import io.stipple.plugin.api.CheckpointFormat;
import io.stipple.tensor.Ops;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Textual-inversion embeddings against ComfyUI (case embeddings, tools/golden/gen_embeddings.py): the
 * three file layouts (A1111's emb_params .safetensors, the original .pt, SDXL's clip_l/clip_g), found
 * by name with and without the ending, weighted, followed by a comma, missing; the tokens with each
 * vector's slot, the weights, and the conditioning (and SDXL's pooled output) within 1e-4.
 */
class EmbeddingsGoldenTest {
    private final Ops ops = TestBackend.ops();
    private final EmbeddingLibrary library = new EmbeddingLibrary(Golden.path("embeddings/embeddings"),
            new CheckpointOpener(TestPlugins.extensions(CheckpointFormat.class)));

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"sd15, plain", "sd15, weighted", "sd15, comma", "sd15, missing", "sdxl, plain", "sdxl, weighted", "sdxl, xl"})
    void matchesComfyUi(String family, String prompt) {
        GoldenTensors g = Golden.tensors("embeddings/data.safetensors");
        String text = Golden.manifest("embeddings").getAsJsonObject("prompts").get(prompt).getAsString();
        String model = Golden.manifest("embeddings").getAsJsonObject("cases").getAsJsonObject(family).get("model").getAsString();
        String key = family + "_" + prompt;
        try (var index = TestModels.open(model)) {
            StableDiffusionModel m = ModelLoader.load(family, new CheckpointParameters(index, ops, WeightPolicy.RESIDENT_F32), ops)
                    .withEmbeddings(library);
            for (String enc : family.equals("sd15") ? List.of("l") : List.of("l", "g")) {
                PromptTokenizer tokenizer = enc.equals("l") ? PromptTokenizer.clipL() : PromptTokenizer.clipG();
                TokenizedPrompt tokens = tokenizer.tokenize(text, library.forEncoder("clip_" + enc), 32);
                assertTokens(key + " " + enc, g, key + "_tokens_" + enc, key + "_weights_" + enc, tokens);
            }
            EncodedPrompt e = m.textEncoder().encode(text, 0);
            assertCloseRelative(key + "_cond", g.floats(key + "_cond"), e.context().toArray(), 1e-4);
            if (family.equals("sdxl")) {
                assertCloseRelative(key + "_pooled", g.floats(key + "_pooled"), e.pooled().toArray(), 1e-4);
            }
            if (prompt.equals("missing")) {
                assertEquals(List.of("embedding not_there is not installed: left out of the prompt"), e.warnings());
            } else {
                assertTrue(e.warnings().isEmpty(), e.warnings().toString());
            }
        }
    }

    /** ComfyUI's token ids, -1 where a vector fills the slot, and weights, chunk by chunk. */
    private static void assertTokens(String what, GoldenTensors g, String idsName, String weightsName, TokenizedPrompt tokens) {
        long[] ids = g.longs(idsName);
        float[] weights = g.floats(weightsName);
        int length = g.shape(idsName)[1];
        assertEquals(g.shape(idsName)[0], tokens.chunkCount(), what + ": chunks");
        for (int c = 0; c < tokens.chunkCount(); c++) {
            TokenChunk chunk = tokens.chunk(c);
            float[][] vectors = chunk.vectors();
            long[] actual = new long[length];
            for (int i = 0; i < length; i++) {
                actual[i] = vectors[i] != null ? -1 : chunk.id(i);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(ids, c * length, (c + 1) * length), actual, what + ": ids of chunk " + c);
            assertArrayEquals(java.util.Arrays.copyOfRange(weights, c * length, (c + 1) * length), chunk.weights(), what + ": weights of chunk " + c);
        }
    }
}
