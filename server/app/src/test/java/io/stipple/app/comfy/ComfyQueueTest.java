package io.stipple.app.comfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.stipple.app.testing.StippleServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ComfyUI port's prompts wait in the server's one queue, within its capacity; /queue lists and deletes them. */
class ComfyQueueTest {
    @RegisterExtension
    static StippleServerExtension server = new StippleServerExtension(1, plugins -> {}, (b, home) -> b.comfyPort(0));

    private static String body(int steps) {
        JsonObject o = new JsonObject();
        o.add("prompt", ComfyClient.demoPrompt(steps));
        o.addProperty("client_id", "q");
        return o.toString();
    }

    @Test
    void aFullQueueIsA503AndWaitingPromptsCanBeDeleted() throws Exception {
        server.server().startComfy();
        ComfyClient client = new ComfyClient(server.server().comfyPort(), null);
        var ws = client.socket("q", null);
        try {
            String running = client.json(client.post("/prompt", body(10000))).get("prompt_id").getAsString();
            ws.await("progress", running, false);
            String waiting = client.json(client.post("/prompt", body(4))).get("prompt_id").getAsString();
            var full = client.post("/prompt", body(4));
            assertEquals(503, full.statusCode(), full.body());
            assertTrue(client.json(full).getAsJsonObject("error").get("message").getAsString().contains("jobs are waiting"), full.body());

            JsonObject queue = client.json(client.get("/queue"));
            assertEquals(waiting, queue.getAsJsonArray("queue_pending").get(0).getAsJsonArray().get(1).getAsString(), queue.toString());
            assertEquals(200, client.post("/queue", "{\"delete\": [\"" + waiting + "\"]}").statusCode());
            ws.await("execution_interrupted", waiting, false);
            assertEquals(0, client.json(client.get("/queue")).getAsJsonArray("queue_pending").size());

            assertEquals(400, client.post("/queue", "{\"delete\": 3}").statusCode(), "delete takes a list of prompt ids");
            assertEquals(200, client.post("/interrupt", "{\"prompt_id\": \"" + running + "\"}").statusCode());
            ws.await("execution_interrupted", running, false);
        } finally {
            ws.close();
        }
    }
}
