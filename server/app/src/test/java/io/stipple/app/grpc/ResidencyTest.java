package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.ModelInfo;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.ResidentModel;
import io.stipple.proto.v1.UnloadModelsRequest;
import io.stipple.tensor.testing.Golden;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which models are loaded, and how they leave: ListModels says what is resident and how large,
 * UnloadModels frees them, and the cache holds models by bytes. The budget here is one and a half
 * tiny SD1.5 models (its weights are float32 in the file), so loading a second evicts the first.
 */
class ResidencyTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension(16, plugins -> {},
            (b, home) -> b.cacheBytes(Files.size(Golden.path("models/sd15_tiny.safetensors")) * 3 / 2));

    private static void generate(String checkpoint) {
        StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint(checkpoint)).setPrompt("a cat").setWidth(64).setHeight(64)
                .setSteps(1).setSeed(1).build());
    }

    private static List<ResidentModel> resident() {
        return server.blocking().listModels(ListModelsRequest.getDefaultInstance()).getResidentList();
    }

    @Test
    void listModelsSaysWhatIsLoadedAndUnloadModelsFreesIt() {
        generate("sd15_tiny.safetensors");
        var listing = server.blocking().listModels(ListModelsRequest.getDefaultInstance());
        assertEquals("cpu", listing.getBackend());
        ResidentModel r = listing.getResidentList().stream().filter(m -> m.getCheckpoint().equals("sd15_tiny.safetensors"))
                .findFirst().orElseThrow(() -> new AssertionError("not resident: " + listing.getResidentList()));
        assertEquals("sd15", r.getFamily());
        assertEquals("cpu", r.getDevice());
        assertTrue(r.getMemoryBytes() > 10_000_000, "its float32 weights: " + r.getMemoryBytes());
        assertTrue(listing.getCheckpointsList().stream().filter(ModelInfo::getResident).map(ModelInfo::getName).toList()
                .contains("sd15_tiny.safetensors"));

        var unloaded = server.blocking().unloadModels(UnloadModelsRequest.newBuilder().addCheckpoints("sd15_tiny.safetensors").build());
        assertEquals(List.of("sd15_tiny.safetensors"), unloaded.getUnloadedList().stream().map(ResidentModel::getCheckpoint).toList());
        assertEquals(r.getMemoryBytes(), unloaded.getFreedBytes());
        assertFalse(resident().stream().anyMatch(m -> m.getCheckpoint().equals("sd15_tiny.safetensors")));
        generate("sd15_tiny.safetensors"); // loads again
    }

    @Test
    void theCacheHoldsModelsByBytes() {
        generate("sd15_tiny.safetensors");
        generate("sd15_tiny.ckpt");
        assertEquals(List.of("sd15_tiny.ckpt"), resident().stream().map(ResidentModel::getCheckpoint).toList(),
                "the budget holds one tiny model: the least recently used went");
        server.blocking().unloadModels(UnloadModelsRequest.getDefaultInstance());
        assertEquals(List.of(), resident(), "an empty request unloads all");
    }

    @Test
    void unloadingAnUnknownNameIsNotFound() {
        var e = assertThrows(StatusRuntimeException.class, () -> server.blocking()
                .unloadModels(UnloadModelsRequest.newBuilder().addCheckpoints("nope.safetensors").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("checkpoints[0]: nope.safetensors not found"), e.getStatus().getDescription());
    }
}
