package io.stipple.app.grpc;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.PngText;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.proto.v1.NodeImage;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.WorkflowEvent;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RunWorkflow: the e2e goldens' ComfyUI graphs through the service, the event stream, and graphs refused before they queue. */
class WorkflowRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    /** A golden graph with its names as the server's models folder and the request's files know them. */
    static JsonObject graph(String name) {
        String text = Golden.manifest("e2e/" + name).getAsJsonObject("comfyui_api_prompt").toString()
                .replace("shared/golden/models/", "").replace("shared/golden/lora/", "")
                .replace("shared/golden/e2e/" + name + "/", "");
        return JsonParser.parseString(text).getAsJsonObject();
    }

    static RunWorkflowRequest request(String name, JsonObject graph) throws IOException {
        var r = RunWorkflowRequest.newBuilder().setWorkflow(graph.toString());
        Path init = Golden.path("e2e/" + name + "/init.png");
        if (Files.exists(init)) {
            r.putFiles("init.png", ByteString.copyFrom(Files.readAllBytes(init)));
        }
        return r.build();
    }

    static List<WorkflowEvent> run(RunWorkflowRequest request) {
        List<WorkflowEvent> events = new ArrayList<>();
        server.blocking().runWorkflow(request).forEachRemaining(events::add);
        return events;
    }

    static Stream<String> cases() throws IOException {
        try (var dirs = Files.list(Golden.path("e2e"))) {
            return dirs.map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void goldenGraphGivesTheGoldenLatentAndPng(String name) throws IOException {
        GoldenTensors g = Golden.tensors("e2e/" + name + "/data.safetensors");
        List<WorkflowEvent> events = run(request(name, graph(name)));
        Path latent = Files.createTempFile("workflow-", ".latent");
        try {
            Files.write(latent, events.stream().filter(WorkflowEvent::hasLatent).findFirst().orElseThrow().getLatent().getLatent().toByteArray());
            assertCloseRelative(name + " samples", g.floats("samples"), GoldenTensors.read(latent).floats("latent_tensor"), 1e-3);
        } finally {
            Files.delete(latent);
        }
        List<NodeImage> images = events.stream().filter(WorkflowEvent::hasImage).map(WorkflowEvent::getImage).toList();
        float[] png = g.floats("png");
        assertEquals(g.shape("png")[0], images.size());
        for (NodeImage image : images) {
            BufferedImage img = ImageIO.read(image.getPng().newInput());
            int per = img.getWidth() * img.getHeight() * 3;
            float[] actual = new float[per];
            int[] argb = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
            for (int i = 0; i < argb.length; i++) {
                actual[i * 3] = (argb[i] >> 16) & 0xff;
                actual[i * 3 + 1] = (argb[i] >> 8) & 0xff;
                actual[i * 3 + 2] = argb[i] & 0xff;
            }
            int b = image.getIndex();
            assertClose(name + " png[" + b + "]", Arrays.copyOfRange(png, b * per, (b + 1) * per), actual, 1.0);
        }
    }

    @Test
    void eventsComeInComfyUisOrderWithNodeIds() throws IOException {
        List<WorkflowEvent> events = run(request("sd15_euler_normal_64x64", graph("sd15_euler_normal_64x64")));
        assertTrue(events.getFirst().hasQueued(), events.getFirst().toString());
        String jobId = events.getFirst().getQueued().getJobId();
        List<String> executing = events.stream().filter(WorkflowEvent::hasExecuting).map(e -> e.getExecuting().getNodeId()).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), executing);
        assertEquals(6, events.stream().filter(WorkflowEvent::hasProgress).filter(e -> e.getProgress().getNodeId().equals("5")).count());
        assertTrue(events.stream().anyMatch(WorkflowEvent::hasPreview), "previews every 5 steps and at the last");
        NodeImage image = events.stream().filter(WorkflowEvent::hasImage).findFirst().orElseThrow().getImage();
        assertEquals("7", image.getNodeId());
        assertEquals("output", image.getFilenamePrefix());
        assertFalse(image.getTemporary());
        Map<String, String> text = PngText.read(image.getPng().toByteArray());
        assertEquals("CheckpointLoaderSimple",
                JsonParser.parseString(text.get("prompt")).getAsJsonObject().getAsJsonObject("1").get("class_type").getAsString());
        assertEquals("8", events.stream().filter(WorkflowEvent::hasLatent).findFirst().orElseThrow().getLatent().getNodeId());
        var result = events.getLast().getResult();
        assertEquals(jobId, result.getJobId());
        assertEquals(executing, result.getExecutedList());
    }

    @Test
    void uiFormatWorkflowRunsAndItsImagesCarryBothGraphs() throws IOException {
        String ui = Files.readString(Golden.testdata().getParent().resolve("server/engine/src/test/resources/workflows/sd15_txt2img_ui.json"))
                .replace("shared/golden/models/", "");
        List<WorkflowEvent> events = run(RunWorkflowRequest.newBuilder().setWorkflow(ui).build());
        NodeImage image = events.stream().filter(WorkflowEvent::hasImage).findFirst().orElseThrow().getImage();
        Map<String, String> text = PngText.read(image.getPng().toByteArray());
        assertEquals(ui, text.get("workflow"));
        assertEquals("KSampler", JsonParser.parseString(text.get("prompt")).getAsJsonObject().getAsJsonObject("5").get("class_type").getAsString());
    }

    /** Long enough to still be running when stopped: a thousand steps at 256². */
    private static RunWorkflowRequest longWorkflow() {
        JsonObject g = graph("sd15_euler_normal_64x64");
        g.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("steps", 1000);
        g.getAsJsonObject("4").getAsJsonObject("inputs").addProperty("width", 256);
        g.getAsJsonObject("4").getAsJsonObject("inputs").addProperty("height", 256);
        return RunWorkflowRequest.newBuilder().setWorkflow(g.toString()).build();
    }

    private static void serverGoesOn() throws IOException {
        List<WorkflowEvent> events = new ArrayList<>();
        server.blocking().withDeadlineAfter(60, TimeUnit.SECONDS).runWorkflow(request("sd15_euler_normal_64x64",
                graph("sd15_euler_normal_64x64"))).forEachRemaining(events::add);
        assertTrue(events.getLast().hasResult());
    }

    @Test
    void cancellingStopsTheJob() throws Exception {
        Context.CancellableContext context = Context.current().withCancellation();
        Iterator<WorkflowEvent> events = context.call(() -> server.blocking().runWorkflow(longWorkflow()));
        int step = 0;
        while (step == 0 && events.hasNext()) {
            WorkflowEvent e = events.next();
            step = e.hasProgress() ? e.getProgress().getStep() : 0;
        }
        context.cancel(null);
        var e = assertThrows(StatusRuntimeException.class, () -> events.forEachRemaining(x -> {}));
        assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
        serverGoesOn();
    }

    @Test
    void aDeadlineStopsTheJob() throws IOException {
        var e = assertThrows(StatusRuntimeException.class,
                () -> server.blocking().withDeadlineAfter(1500, TimeUnit.MILLISECONDS).runWorkflow(longWorkflow()).forEachRemaining(x -> {}));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        serverGoesOn();
    }

    @Test
    void sizesBeyondGeneratesLimitsAreRefused() {
        JsonObject g = graph("sd15_euler_normal_64x64");
        g.getAsJsonObject("4").getAsJsonObject("inputs").addProperty("width", 16384);
        assertEquals("4.inputs.width: 16384 (expected: at most 2048 on this server, as for Generate) [EmptyLatentImage]",
                refused(g).getStatus().getDescription());
    }

    private static StatusRuntimeException refused(JsonObject graph) {
        return assertThrows(StatusRuntimeException.class, () -> run(RunWorkflowRequest.newBuilder().setWorkflow(graph.toString()).build()));
    }

    @Test
    void unsupportedNodeIsRefusedBeforeItQueuesNamingTheNode() {
        JsonObject g = graph("sd15_euler_normal_64x64");
        g.add("30", JsonParser.parseString("{\"class_type\": \"SetLatentNoiseMask\", \"inputs\": {\"samples\": [\"4\", 0]}}"));
        g.getAsJsonObject("5").getAsJsonObject("inputs").add("latent_image", JsonParser.parseString("[\"30\", 0]"));
        // the blocking iterator throws on the first read: not even a queued event came before the error
        var e = refused(g);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("30: SetLatentNoiseMask is not supported: inpainting"), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().endsWith("[SetLatentNoiseMask]"), e.getStatus().getDescription());
    }

    @Test
    void vaeLoaderReadsModelsVaeAndAMissingOneNamesTheFile() throws IOException {
        Files.copy(Golden.path("models/sd15_tiny.safetensors"), server.home().resolve("models/vae/tiny_vae.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JsonObject g = graph("sd15_euler_normal_64x64");
        g.add("20", JsonParser.parseString("{\"class_type\": \"VAELoader\", \"inputs\": {\"vae_name\": \"tiny_vae.safetensors\"}}"));
        g.getAsJsonObject("6").getAsJsonObject("inputs").add("vae", JsonParser.parseString("[\"20\", 0]"));
        List<WorkflowEvent> events = run(request("sd15_euler_normal_64x64", g));
        assertEquals(1, events.stream().filter(WorkflowEvent::hasImage).count());
        g.getAsJsonObject("20").getAsJsonObject("inputs").addProperty("vae_name", "nope.safetensors");
        var e = refused(g);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("20.inputs.vae_name: nope.safetensors not found in vae/"), e.getStatus().getDescription());
    }

    @Test
    void missingCheckpointNamesTheNodeAndTheFile() {
        JsonObject g = graph("sd15_euler_normal_64x64");
        g.getAsJsonObject("1").getAsJsonObject("inputs").addProperty("ckpt_name", "nope.safetensors");
        var e = refused(g);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("1.inputs.ckpt_name: nope.safetensors not found in checkpoints/ (available: "),
                e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().endsWith("[CheckpointLoaderSimple]"), e.getStatus().getDescription());
    }

    @Test
    void missingLoraNamesTheNodeAndTheFile() {
        JsonObject g = graph("sd15_lora_a_0p8_1p0");
        g.getAsJsonObject("10").getAsJsonObject("inputs").addProperty("lora_name", "lora_z.safetensors");
        var e = refused(g);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("10.inputs.lora_name: lora_z.safetensors not found in loras/"),
                e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().endsWith("[LoraLoader]"), e.getStatus().getDescription());
    }

    @Test
    void imageNotSentAndBadValuesAndBadJson() {
        var noImage = refused(graph("sd15_img2img_euler_normal_d0p6"));
        assertEquals("40.inputs.image: not sent with the request (expected: one of the request's files []) [LoadImage]",
                noImage.getStatus().getDescription());
        JsonObject g = graph("sd15_euler_normal_64x64");
        g.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("steps", 0);
        assertEquals("5.inputs.steps: 0 (expected: 1 to 10000) [KSampler]", refused(g).getStatus().getDescription());
        var notJson = assertThrows(StatusRuntimeException.class, () -> run(RunWorkflowRequest.newBuilder().setWorkflow("{\"1\":").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, notJson.getStatus().getCode());
        assertTrue(notJson.getStatus().getDescription().startsWith("the workflow is not valid JSON"), notJson.getStatus().getDescription());
        var empty = assertThrows(StatusRuntimeException.class, () -> run(RunWorkflowRequest.newBuilder().build()));
        assertEquals("workflow: empty (expected: a ComfyUI workflow in API format, as JSON text)", empty.getStatus().getDescription());
    }
}
