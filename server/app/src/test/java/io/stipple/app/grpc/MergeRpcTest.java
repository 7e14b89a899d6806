package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.ComponentMerge;
import io.stipple.proto.v1.ComponentSource;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.MergeEvent;
import io.stipple.proto.v1.MergeMode;
import io.stipple.proto.v1.MergeRecipe;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Merging through the service: to a file (Merge) and on the fly (Generate's merge recipe). */
class MergeRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static MergeRecipe.Builder weighted(String b, float ratio) {
        return MergeRecipe.newBuilder().setMode(MergeMode.MERGE_MODE_WEIGHTED_SUM).setModelB(b).setRatio(ratio)
                .setTextEncoder(ComponentMerge.newBuilder().setSource(ComponentSource.COMPONENT_SOURCE_A))
                .setVae(ComponentMerge.newBuilder().setSource(ComponentSource.COMPONENT_SOURCE_A));
    }

    @Test
    void mergesIntoANewCheckpointWithProgressAndItGenerates() throws Exception {
        List<MergeEvent> events = new ArrayList<>();
        StippleClient.over(server.channel()).merge(MergeRequest.newBuilder().setModelA("sd15_tiny.safetensors")
                .setRecipe(weighted("sd15_tiny_b.safetensors", 0.3f)).setOutputName("merged/blend.safetensors").build())
                .forEachRemaining(events::add);
        var progress = events.stream().filter(MergeEvent::hasProgress).map(MergeEvent::getProgress).toList();
        assertFalse(progress.isEmpty());
        assertEquals(progress.getLast().getTensorsTotal(), progress.getLast().getTensorsDone());
        var result = events.getLast().getResult();
        assertEquals("merged/blend.safetensors", result.getName());
        Path file = server.home().resolve("models/checkpoints/merged/blend.safetensors");
        assertEquals(Files.size(file), result.getSizeBytes());
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        assertEquals(HexFormat.of().formatHex(digest), result.getSha256());

        var output = StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint("merged/blend.safetensors")).setPrompt("a cat")
                .setWidth(64).setHeight(64).setSteps(2).setSeed(3).build());
        assertEquals(1, output.images().size());
    }

    @Test
    void refusesAnExistingOutputUnlessAskedAndMergingFamilies() {
        var client = StippleClient.over(server.channel());
        var exists = assertThrows(StatusRuntimeException.class, () -> client.merge(MergeRequest.newBuilder()
                .setModelA("sd15_tiny.safetensors").setRecipe(weighted("sd15_tiny_b.safetensors", 0.5f))
                .setOutputName("sd15_tiny.safetensors").build()).forEachRemaining(e -> {}));
        assertEquals(Status.Code.ALREADY_EXISTS, exists.getStatus().getCode(), exists.getStatus().toString());
        var families = assertThrows(StatusRuntimeException.class, () -> client.merge(MergeRequest.newBuilder()
                .setModelA("sd15_tiny.safetensors").setRecipe(weighted("sdxl_tiny.safetensors", 0.5f))
                .setOutputName("mix.safetensors").build()).forEachRemaining(e -> {}));
        assertEquals(Status.Code.INVALID_ARGUMENT, families.getStatus().getCode(), families.getStatus().toString());
        assertFalse(Files.exists(server.home().resolve("models/checkpoints/mix.safetensors")), "nothing is written");
        var noC = assertThrows(StatusRuntimeException.class, () -> client.merge(MergeRequest.newBuilder()
                .setModelA("sd15_tiny.safetensors").setRecipe(MergeRecipe.newBuilder().setMode(MergeMode.MERGE_MODE_ADD_DIFFERENCE)
                        .setModelB("sd15_tiny_b.safetensors")).setOutputName("ad.safetensors").build()).forEachRemaining(e -> {}));
        assertEquals(Status.Code.INVALID_ARGUMENT, noC.getStatus().getCode());
        assertTrue(noC.getStatus().getDescription().startsWith("recipe.model_c: empty"), noC.getStatus().getDescription());
        var badName = assertThrows(StatusRuntimeException.class, () -> client.merge(MergeRequest.newBuilder()
                .setModelA("sd15_tiny.safetensors").setRecipe(weighted("sd15_tiny_b.safetensors", 0.5f))
                .setOutputName("../escape.safetensors").build()).forEachRemaining(e -> {}));
        assertEquals(Status.Code.INVALID_ARGUMENT, badName.getStatus().getCode());
        var ratio = assertThrows(StatusRuntimeException.class, () -> client.merge(MergeRequest.newBuilder()
                .setModelA("sd15_tiny.safetensors").setRecipe(weighted("sd15_tiny_b.safetensors", 7f))
                .setOutputName("r.safetensors").build()).forEachRemaining(e -> {}));
        assertEquals("recipe.ratio: 7.0 (expected: -1 to 2)", ratio.getStatus().getDescription());
    }

    @Test
    void mergesOnTheFlyForGenerate() {
        var client = StippleClient.over(server.channel());
        GenerateRequest.Builder base = GenerateRequest.newBuilder().setPrompt("a cat").setWidth(64).setHeight(64).setSteps(2).setSeed(9);
        var plain = client.generate(base.clone().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")).build());
        var allA = client.generate(base.clone().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")
                .setMerge(MergeRecipe.newBuilder().setModelB("sd15_tiny_b.safetensors").setRatio(1.0f))).build());
        var blended = client.generate(base.clone().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors")
                .setMerge(MergeRecipe.newBuilder().setModelB("sd15_tiny_b.safetensors").setRatio(0.3f))).build());
        assertArrayEquals(plain.images().getFirst().getPng().toByteArray(), allA.images().getFirst().getPng().toByteArray(),
                "ratio 1.0 is all of model A");
        assertFalse(java.util.Arrays.equals(plain.images().getFirst().getPng().toByteArray(),
                blended.images().getFirst().getPng().toByteArray()));
    }
}
