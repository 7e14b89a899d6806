package io.stipple.app.comfy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.stipple.app.testing.StippleServerExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ComfyUI's HTTP and websocket API on --comfy-port: the routes ComfyUI's own script examples use, over the real port. */
class ComfyApiTest {
    @RegisterExtension
    static StippleServerExtension server = new StippleServerExtension(16, plugins -> {}, (b, home) -> b.comfyPort(0));

    static ComfyClient client;

    @BeforeAll
    static void start() throws Exception {
        server.server().startComfy();
        client = new ComfyClient(server.server().comfyPort(), null);
    }

    private static String body(JsonObject prompt, String clientId) {
        JsonObject o = new JsonObject();
        o.add("prompt", prompt);
        o.addProperty("client_id", clientId);
        return o.toString();
    }

    @Test
    void aPromptRunsWithItsMessagesAndItsImageIsInHistoryAndView() throws Exception {
        var ws = client.socket("client-a", null);
        try {
            JsonObject status = ws.await("status", null, false);
            assertEquals("client-a", status.getAsJsonObject("data").get("sid").getAsString());
            var posted = client.post("/prompt", body(ComfyClient.demoPrompt(4), "client-a"));
            assertEquals(200, posted.statusCode(), posted.body());
            JsonObject answer = client.json(posted);
            String id = answer.get("prompt_id").getAsString();
            assertTrue(answer.has("number"));
            assertEquals(new JsonObject(), answer.getAsJsonObject("node_errors"));

            ws.await("execution_start", id, false);
            JsonObject progress = ws.await("progress", id, false);
            assertEquals(4, progress.getAsJsonObject("data").get("max").getAsInt());
            JsonObject executed = ws.await("executed", id, false);
            assertEquals("7", executed.getAsJsonObject("data").get("node").getAsString());
            ws.await("execution_success", id, false);
            ws.await("executing", id, true);
            assertFalse(ws.binary.isEmpty(), "a preview frame");
            byte[] frame = ws.binary.getFirst();
            assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 1}, Arrays.copyOf(frame, 8), "type 1 (preview), format 1 (JPEG)");
            assertEquals((byte) 0xFF, frame[8], "a JPEG follows");

            JsonObject history = client.json(client.get("/history/" + id)).getAsJsonObject(id);
            assertEquals("success", history.getAsJsonObject("status").get("status_str").getAsString());
            JsonObject image = history.getAsJsonObject("outputs").getAsJsonObject("7").getAsJsonArray("images").get(0).getAsJsonObject();
            assertEquals("output", image.get("type").getAsString());
            assertTrue(image.get("filename").getAsString().matches("output_\\d{5}_\\.png"), image.toString());
            assertTrue(client.json(client.get("/api/history")).has(id), "all of history, under /api too");

            var png = client.getBytes("/view?filename=" + image.get("filename").getAsString() + "&subfolder=&type=output");
            assertEquals(200, png.statusCode());
            assertEquals("image/png", png.headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png.body(), 4));
        } finally {
            ws.close();
        }
    }

    @Test
    void anInvalidGraphIsRefusedWithComfyUisNodeErrors() throws Exception {
        JsonObject prompt = ComfyClient.demoPrompt(4);
        prompt.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("sampler_name", "no_such_sampler");
        var r = client.post("/prompt", body(prompt, "x"));
        assertEquals(400, r.statusCode(), r.body());
        JsonObject o = client.json(r);
        assertEquals("prompt_outputs_failed_validation", o.getAsJsonObject("error").get("type").getAsString(), r.body());
        assertTrue(o.getAsJsonObject("node_errors").has("5"), r.body());
        assertEquals("KSampler", o.getAsJsonObject("node_errors").getAsJsonObject("5").get("class_type").getAsString());
    }

    @Test
    void badBodiesGetA400NamingWhatWasWrong() throws Exception {
        var notJson = client.post("/prompt", "{not json");
        assertEquals(400, notJson.statusCode());
        assertTrue(client.json(notJson).getAsJsonObject("error").get("message").getAsString().contains("not a JSON object"), notJson.body());
        var noPrompt = client.post("/api/prompt", "{\"client_id\": \"x\"}");
        assertEquals(400, noPrompt.statusCode());
        assertTrue(noPrompt.body().contains("prompt: missing"), noPrompt.body());
        var tooLarge = ComfyClient.demoPrompt(4);
        tooLarge.getAsJsonObject("4").getAsJsonObject("inputs").addProperty("width", 100000);
        var limited = client.post("/prompt", body(tooLarge, "x"));
        assertEquals(400, limited.statusCode(), limited.body());
        assertFalse(limited.body().contains(server.home().toString()), "no server path: " + limited.body());
        var unknown = client.get("/nope");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no such route"), unknown.body());
    }

    @Test
    void viewRefusesPathTraversal() throws Exception {
        for (String q : new String[] {"filename=../../etc/passwd", "filename=a.png&subfolder=../..", "filename=" + URLEncoder.encode("..\\x.png",
                StandardCharsets.UTF_8), "filename=a.png&subfolder=/etc"}) {
            var r = client.get("/view?" + q);
            assertEquals(400, r.statusCode(), q + ": " + r.body());
            assertFalse(r.body().contains(server.home().toString()), r.body());
        }
        assertEquals(400, client.get("/view").statusCode(), "filename is required");
        assertEquals(404, client.get("/view?filename=missing.png&type=output").statusCode());
    }

    @Test
    void queueSystemStatsAndObjectInfoHaveComfyUisShapes() throws Exception {
        JsonObject queue = client.json(client.get("/queue"));
        assertTrue(queue.has("queue_running") && queue.has("queue_pending"), queue.toString());
        JsonObject stats = client.json(client.get("/api/system_stats"));
        assertTrue(stats.getAsJsonObject("system").has("ram_total"), stats.toString());
        assertEquals(1, stats.getAsJsonArray("devices").size());
        JsonObject info = client.json(client.get("/object_info"));
        JsonObject ksampler = info.getAsJsonObject("KSampler").getAsJsonObject("input").getAsJsonObject("required");
        assertEquals("MODEL", ksampler.getAsJsonArray("model").get(0).getAsString());
        assertTrue(ksampler.getAsJsonArray("sampler_name").get(0).getAsJsonArray().toString().contains("\"euler\""), ksampler.toString());
        JsonObject loader = info.getAsJsonObject("CheckpointLoaderSimple").getAsJsonObject("input").getAsJsonObject("required");
        assertTrue(loader.getAsJsonArray("ckpt_name").get(0).getAsJsonArray().toString().contains("stipple-demo-shapes.safetensors"));
        assertTrue(info.getAsJsonObject("SaveImage").get("output_node").getAsBoolean());
        assertTrue(client.json(client.get("/object_info/KSampler")).has("KSampler"));
    }

    @Test
    void interruptStopsTheRunningPrompt() throws Exception {
        var ws = client.socket("client-i", null);
        try {
            String id = client.json(client.post("/prompt", body(ComfyClient.demoPrompt(10000), "client-i"))).get("prompt_id").getAsString();
            ws.await("progress", id, false);
            JsonObject running = client.json(client.get("/queue"));
            assertEquals(id, running.getAsJsonArray("queue_running").get(0).getAsJsonArray().get(1).getAsString());
            assertEquals(200, client.post("/interrupt", "").statusCode());
            ws.await("execution_interrupted", id, false);
            ws.await("executing", id, true);
            JsonObject history = client.json(client.get("/history/" + id)).getAsJsonObject(id);
            assertEquals("error", history.getAsJsonObject("status").get("status_str").getAsString());
        } finally {
            ws.close();
        }
    }
}
