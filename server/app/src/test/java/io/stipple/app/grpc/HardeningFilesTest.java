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
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.MergeMode;
import io.stipple.proto.v1.MergeRecipe;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.ModelInfo;
import io.stipple.proto.v1.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The models folder against a hostile client: writes never leave it through a symbolic link,
 * links expose only model files, and a checkpoint replaced by a Merge is never served stale.
 */
class HardeningFilesTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    @TempDir
    Path elsewhere;

    private static Path checkpoints() {
        return server.home().resolve("models/checkpoints");
    }

    private static MergeRequest.Builder merge(String output, float ratio) {
        return MergeRequest.newBuilder().setModelA("sd15_tiny.safetensors")
                .setRecipe(MergeRecipe.newBuilder().setMode(MergeMode.MERGE_MODE_WEIGHTED_SUM).setModelB("sd15_tiny_b.safetensors")
                        .setRatio(ratio)
                        .setTextEncoder(ComponentMerge.newBuilder().setSource(ComponentSource.COMPONENT_SOURCE_A))
                        .setVae(ComponentMerge.newBuilder().setSource(ComponentSource.COMPONENT_SOURCE_A)))
                .setOutputName(output);
    }

    private static void runMerge(MergeRequest.Builder request) {
        StippleClient.over(server.channel()).merge(request.build()).forEachRemaining(e -> {});
    }

    private static byte[] image(String checkpoint) {
        return StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint(checkpoint)).setPrompt("a cat").setWidth(64).setHeight(64)
                .setSteps(2).setSeed(5)
                // no parameters chunk: it names the checkpoint, and the pixels are what is compared
                .setOutput(io.stipple.proto.v1.OutputOptions.newBuilder().setEmbedParameters(false)).build())
                .images().getFirst().getPng().toByteArray();
    }

    private static void servesTheNextRequest() {
        assertTrue(image("sd15_tiny.safetensors").length > 0);
    }

    @Test
    void mergeNeverWritesThroughASymlinkedFolder() throws Exception {
        Files.createSymbolicLink(checkpoints().resolve("linkdir"), elsewhere);
        var e = assertThrows(StatusRuntimeException.class, () -> runMerge(merge("linkdir/evil.safetensors", 0.5f)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().startsWith("output_name: linkdir/evil.safetensors (expected: a name inside "
                + "checkpoints/ that goes through no symbolic link"), e.getStatus().getDescription());
        var deeper = assertThrows(StatusRuntimeException.class, () -> runMerge(merge("linkdir/new/evil.safetensors", 0.5f)));
        assertEquals(Status.Code.INVALID_ARGUMENT, deeper.getStatus().getCode());
        assertEquals(List.of(), List.of(elsewhere.toFile().list()), "nothing was written outside the models folder");
        servesTheNextRequest();
    }

    @Test
    void mergeNeverReplacesAFileThroughALink() throws Exception {
        Path victim = Files.writeString(elsewhere.resolve("victim.safetensors"), "the operator's file");
        Files.createSymbolicLink(checkpoints().resolve("linked.safetensors"), victim);
        var exists = assertThrows(StatusRuntimeException.class, () -> runMerge(merge("linked.safetensors", 0.5f)));
        assertEquals(Status.Code.ALREADY_EXISTS, exists.getStatus().getCode(), exists.getStatus().toString());
        var overwrite = assertThrows(StatusRuntimeException.class, () -> runMerge(merge("linked.safetensors", 0.5f).setOverwrite(true)));
        assertEquals(Status.Code.INVALID_ARGUMENT, overwrite.getStatus().getCode(), overwrite.getStatus().toString());
        assertEquals("the operator's file", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(checkpoints().resolve("linked.safetensors")));
        servesTheNextRequest();
    }

    @Test
    void aLinkToAFileThatIsNotAModelIsNeitherListedNorRead() throws Exception {
        Path secret = Files.writeString(elsewhere.resolve("passwd"), "root:x:0:0");
        Files.createSymbolicLink(checkpoints().resolve("passwd.safetensors"), secret);
        List<String> listed = server.blocking().listModels(ListModelsRequest.getDefaultInstance()).getCheckpointsList().stream()
                .map(ModelInfo::getName).toList();
        assertFalse(listed.contains("passwd.safetensors"), listed.toString());
        assertTrue(listed.contains("sd15_tiny.safetensors"), "links to model files are listed: " + listed);
        var e = assertThrows(StatusRuntimeException.class, () -> image("passwd.safetensors"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals("model.checkpoint: passwd.safetensors is a link to a file without a model file ending (expected: a model file, "
                + "one of [.safetensors, .sft, .ckpt, .pt, .pth, .bin])", e.getStatus().getDescription());
        servesTheNextRequest();
    }

    @Test
    void aCheckpointOverwrittenByAMergeIsNotServedStale() {
        runMerge(merge("target.safetensors", 0.9f));
        byte[] before = image("target.safetensors"); // now cached
        runMerge(merge("target.safetensors", 0.1f).setOverwrite(true));
        byte[] after = image("target.safetensors");
        runMerge(merge("reference.safetensors", 0.1f));
        assertArrayEquals(image("reference.safetensors"), after, "the overwritten checkpoint's new weights are used");
        assertFalse(java.util.Arrays.equals(before, after), "the two blends draw different images");
    }

    @Test
    void aCheckpointReplacedOnDiskIsReloaded() throws Exception {
        runMerge(merge("swapped.safetensors", 0.9f));
        byte[] first = image("swapped.safetensors");
        runMerge(merge("other.safetensors", 0.1f));
        // the operator replaces the file behind the server's back (a new inode, as cp over it or a download would)
        Path tmp = checkpoints().resolve("swapped.tmp");
        Files.copy(checkpoints().resolve("other.safetensors"), tmp);
        Files.move(tmp, checkpoints().resolve("swapped.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] second = image("swapped.safetensors");
        assertArrayEquals(image("other.safetensors"), second);
        assertFalse(java.util.Arrays.equals(first, second));
    }
}
