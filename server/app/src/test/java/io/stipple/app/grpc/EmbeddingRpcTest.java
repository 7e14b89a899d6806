package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.GenerationOutput;
import io.stipple.client.StippleClient;
import io.stipple.tensor.testing.Golden;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Textual-inversion embeddings through the service: listed, used by "embedding:NAME", a missing one reported. */
class EmbeddingRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    @BeforeAll
    static void installEmbeddings() throws Exception {
        Path folder = Files.createDirectories(server.home().resolve("models/embeddings"));
        for (String name : List.of("tiny_neg.safetensors", "tiny_pt.pt")) {
            Files.copy(Golden.path("embeddings/embeddings/" + name), folder.resolve(name));
        }
    }

    private static GenerationOutput generate(String prompt) {
        return StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).setPrompt(prompt)
                .setNegativePrompt("embedding:tiny_pt").setWidth(64).setHeight(64).setSteps(2).setSeed(5).build());
    }

    @Test
    void listModelsListsTheEmbeddings() {
        var r = server.blocking().listModels(ListModelsRequest.getDefaultInstance());
        assertEquals(List.of("tiny_neg.safetensors", "tiny_pt.pt"), r.getEmbeddingsList());
    }

    @Test
    void anEmbeddingChangesTheImageAndAMissingOneIsReported() throws Exception {
        GenerationOutput with = generate("a cat, embedding:tiny_neg");
        GenerationOutput without = generate("a cat, embedding:nowhere");
        assertTrue(with.result().getWarningsList().isEmpty(), with.result().getWarningsList().toString());
        assertEquals(List.of("embedding nowhere is not installed: left out of the prompt"), without.result().getWarningsList());
        assertFalse(java.util.Arrays.equals(with.images().getFirst().getPng().toByteArray(), without.images().getFirst().getPng().toByteArray()));
    }
}
