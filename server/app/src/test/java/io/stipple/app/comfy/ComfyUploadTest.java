package io.stipple.app.comfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.tensor.testing.Golden;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * POST /upload/image as ComfyUI's clients use it: the image uploaded, then named by a prompt's LoadImage
 * (the e2e img2img graph), which runs; a taken name gets ComfyUI's " (1)"; bad forms get a 400 naming the part.
 * And GET /models[/folder], which such clients read their choices from.
 */
class ComfyUploadTest {
    @RegisterExtension
    static StippleServerExtension server = new StippleServerExtension(16, plugins -> {}, (b, home) -> b.comfyPort(0));

    static ComfyClient client;
    static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        server.server().startComfy();
        client = new ComfyClient(server.server().comfyPort(), null);
        png = Files.readAllBytes(Golden.path("e2e/sd15_img2img_euler_normal_d0p6/init.png"));
    }

    @Test
    void anUploadedImageIsWhatAPromptsLoadImageReads() throws Exception {
        var up = client.postForm("/upload/image", "image", "start.png", png, Map.of("overwrite", "true"));
        assertEquals(200, up.statusCode(), up.body());
        JsonObject answer = client.json(up);
        assertEquals("start.png", answer.get("name").getAsString());
        assertEquals("input", answer.get("type").getAsString());

        String name = "sd15_img2img_euler_normal_d0p6";
        String graph = Golden.manifest("e2e/" + name).getAsJsonObject("comfyui_api_prompt").toString()
                .replace("shared/golden/models/", "").replace("shared/golden/e2e/" + name + "/init.png", "start.png");
        JsonObject body = new JsonObject();
        body.add("prompt", JsonParser.parseString(graph));
        var posted = client.post("/prompt", body.toString());
        assertEquals(200, posted.statusCode(), posted.body());
        String id = client.json(posted).get("prompt_id").getAsString();
        JsonObject entry = null;
        for (int i = 0; i < 600 && (entry == null || !entry.has("status")); i++) {
            Thread.sleep(100);
            JsonObject h = client.json(client.get("/history/" + id));
            entry = h.has(id) ? h.getAsJsonObject(id) : null;
        }
        assertEquals("success", entry.getAsJsonObject("status").get("status_str").getAsString(), entry.toString());
    }

    @Test
    void aTakenNameIsNumberedUnlessOverwriteIsAsked() throws Exception {
        assertEquals("same.png", client.json(client.postForm("/upload/image", "image", "same.png", png, Map.of())).get("name").getAsString());
        assertEquals("same (1).png", client.json(client.postForm("/upload/image", "image", "same.png", png, Map.of())).get("name").getAsString());
        assertEquals("same.png", client.json(client.postForm("/api/upload/image", "image", "same.png", png, Map.of("overwrite", "true")))
                .get("name").getAsString());
        assertEquals("x.png", client.json(client.postForm("/upload/image", "image", "../../x.png", png, Map.of())).get("name").getAsString(),
                "a client's path is cut to the file name");
    }

    @Test
    void modelFoldersAreListedInComfyUisNames() throws Exception {
        var folders = client.get("/models");
        assertEquals(200, folders.statusCode());
        assertEquals("[\"checkpoints\",\"loras\",\"vae\",\"embeddings\"]", folders.body());
        var checkpoints = client.get("/api/models/checkpoints");
        assertEquals(200, checkpoints.statusCode());
        assertTrue(checkpoints.body().contains("\"sd15_tiny.safetensors\""), checkpoints.body());
        assertEquals("[]", client.get("/models/embeddings").body());
        var unknown = client.get("/models/upscale_models");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no model folder upscale_models (expected: one of [checkpoints, loras, vae, embeddings])"),
                unknown.body());
    }

    @Test
    void badFormsAreRefusedNamingThePart() throws Exception {
        var none = client.postForm("/upload/image", "file", "a.png", png, Map.of());
        assertEquals(400, none.statusCode());
        assertTrue(none.body().contains("image: missing"), none.body());
        var temp = client.postForm("/upload/image", "image", "a.png", png, Map.of("type", "temp"));
        assertEquals(400, temp.statusCode());
        assertTrue(temp.body().contains("type: temp (expected: input"), temp.body());
        var climb = client.postForm("/upload/image", "image", "a.png", png, Map.of("subfolder", "../etc"));
        assertEquals(400, climb.statusCode());
        assertTrue(climb.body().contains("subfolder: ../etc (expected: a relative folder name"), climb.body());
        var json = client.post("/upload/image", "{}");
        assertEquals(400, json.statusCode());
        assertTrue(json.body().contains("image: missing"), json.body());
    }
}
