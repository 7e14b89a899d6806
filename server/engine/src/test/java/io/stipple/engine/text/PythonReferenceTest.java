package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.tensor.testing.TensorAssert;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tricky prompts (weights syntax corners, Unicode, emoji, numbers, punctuation, embedding
 * references, several chunk layouts) against python_reference.json, made by python_reference.py
 * next to it: an independent Python model that uses Python's own str/unicodedata/float behaviour.
 */
class PythonReferenceTest {

    @Test
    void everyReferencePromptTokenizesAsInPython() throws IOException {
        JsonArray cases;
        try (InputStream in = getClass().getResourceAsStream("python_reference.json")) {
            cases = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonArray();
        }
        assertTrue(cases.size() > 50, "reference cases: " + cases.size());
        PromptTokenizer clipL = PromptTokenizer.clipL();
        ClipBpeTokenizer bpe = ClipBpeTokenizer.shared();
        for (JsonElement e : cases) {
            JsonObject c = e.getAsJsonObject();
            String prompt = c.get("prompt").getAsString();
            String what = "prompt " + quote(prompt);
            assertArrayEquals(ints(c.getAsJsonArray("encode")), bpe.encode(prompt), what + ": plain encode");
            TokenizedPrompt actual = clipL.tokenize(prompt);
            JsonArray ids = c.getAsJsonArray("ids");
            JsonArray weights = c.getAsJsonArray("weights");
            assertEquals(ids.size(), actual.chunkCount(), what + ": chunk count");
            for (int i = 0; i < ids.size(); i++) {
                assertArrayEquals(ints(ids.get(i).getAsJsonArray()), actual.chunk(i).ids(), what + ": ids of chunk " + i);
                TensorAssert.assertExact(what + ": weights of chunk " + i, floats(weights.get(i).getAsJsonArray()),
                        actual.chunk(i).weights());
            }
            List<String> dropped = new ArrayList<>();
            c.getAsJsonArray("dropped_embeddings").forEach(d -> dropped.add(d.getAsString()));
            assertEquals(dropped, actual.droppedEmbeddings(), what + ": dropped embeddings");
        }
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).getAsDouble();
        }
        return out;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7e) {
                sb.append(String.format("\\u{%x}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }
}
