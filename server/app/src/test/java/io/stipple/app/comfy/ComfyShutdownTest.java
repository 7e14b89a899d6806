package io.stipple.app.comfy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import io.stipple.app.testing.StippleServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A prompt running when the server stops holds no gRPC call to wait on: it gets the grace period,
 * then ends with UNAVAILABLE on its websocket, before the models it uses are freed.
 */
class ComfyShutdownTest {
    @RegisterExtension
    static StippleServerExtension server = new StippleServerExtension(16, plugins -> {}, (b, home) -> b.comfyPort(0));

    @Test
    void aRunningPromptEndsWithUnavailableOnShutdown() throws Exception {
        server.server().startComfy();
        ComfyClient client = new ComfyClient(server.server().comfyPort(), null);
        var ws = client.socket("s", null);
        try {
            JsonObject body = new JsonObject();
            body.add("prompt", ComfyClient.demoPrompt(10000));
            body.addProperty("client_id", "s");
            String id = client.json(client.post("/prompt", body.toString())).get("prompt_id").getAsString();
            ws.await("progress", id, false);
            server.server().close();
            JsonObject error = ws.await("execution_error", id, false);
            assertEquals("UNAVAILABLE", error.getAsJsonObject("data").get("exception_type").getAsString(), error.toString());
        } finally {
            ws.close();
        }
    }
}
