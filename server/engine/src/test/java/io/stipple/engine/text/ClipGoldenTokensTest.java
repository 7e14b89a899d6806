package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import io.stipple.tensor.testing.TensorAssert;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Token ids and weights against ComfyUI's own {@code tokenize_with_weights} output (testdata/golden/clip_*), exactly. */
class ClipGoldenTokensTest {

    @Test
    void sd15PromptsMatchComfyUiClipL() {
        checkCase("clip_sd15", Map.of("l", PromptTokenizer.clipL()::tokenize));
    }

    @Test
    void sdxlPromptsMatchComfyUiClipLAndClipG() {
        checkCase("clip_sdxl", Map.of(
                "l", p -> SdxlTokenizedPrompt.tokenize(p).l(),
                "g", p -> SdxlTokenizedPrompt.tokenize(p).g()));
    }

    private static void checkCase(String caseName, Map<String, Function<String, TokenizedPrompt>> encoders) {
        JsonObject prompts = Golden.manifest(caseName).getAsJsonObject("prompts");
        GoldenTensors golden = Golden.tensors(caseName + "/data.safetensors");
        assertFalse(prompts.isEmpty(), caseName + ": no prompts in the manifest");
        for (String key : prompts.keySet()) {
            String prompt = prompts.get(key).getAsString();
            for (var encoder : encoders.entrySet()) {
                String name = caseName + " " + key + "_" + encoder.getKey() + " (" + prompt + ")";
                TokenizedPrompt actual = encoder.getValue().apply(prompt);
                String tokensName = key + "_tokens_" + encoder.getKey();
                String weightsName = key + "_weights_" + encoder.getKey();
                int[] shape = golden.shape(tokensName);
                assertEquals(2, shape.length, name + ": token tensor rank");
                assertEquals(shape[0], actual.chunkCount(), name + ": chunk count");
                assertEquals(PromptTokenizer.CLIP_MAX_LENGTH, shape[1], name + ": chunk length");
                long[] expectedIds = golden.longs(tokensName);
                float[] expectedWeights = golden.floats(weightsName);
                assertArrayEquals(expectedIds, flatIds(actual), name + ": token ids");
                TensorAssert.assertExact(name + ": weights", expectedWeights, flatWeights(actual));
            }
        }
    }

    static long[] flatIds(TokenizedPrompt p) {
        long[] out = new long[p.chunkCount() * PromptTokenizer.CLIP_MAX_LENGTH];
        int k = 0;
        for (TokenChunk c : p.chunks()) {
            for (int id : c.ids()) {
                out[k++] = id;
            }
        }
        return out;
    }

    static float[] flatWeights(TokenizedPrompt p) {
        float[] out = new float[p.chunkCount() * PromptTokenizer.CLIP_MAX_LENGTH];
        int k = 0;
        for (TokenChunk c : p.chunks()) {
            for (float w : c.weights()) {
                out[k++] = w;
            }
        }
        return out;
    }
}
