package io.stipple.app.comfy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.app.testing.StippleServerExtension;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With --auth-tokens, the ComfyUI port takes the same bearer tokens as gRPC: a header, or a token parameter for /ws. */
class ComfyAuthTest {
    @RegisterExtension
    static StippleServerExtension server = new StippleServerExtension(16, plugins -> {},
            (b, home) -> b.comfyPort(0).authTokens(Files.writeString(home.resolve("tokens"), "alpha-token\n")));

    static int port;

    @BeforeAll
    static void start() throws Exception {
        server.server().startComfy();
        port = server.server().comfyPort();
    }

    @Test
    void routesNeedABearerToken() throws Exception {
        var none = new ComfyClient(port, null).get("/api/queue");
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("missing the Authorization header"), none.body());
        var wrong = new ComfyClient(port, "nope").post("/prompt", "{}");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("unknown bearer token"), wrong.body());
        assertEquals(200, new ComfyClient(port, "alpha-token").get("/queue").statusCode());
    }

    @Test
    void theWebsocketTakesTheTokenAsAParameter() throws Exception {
        ComfyClient anonymous = new ComfyClient(port, null);
        assertThrows(Exception.class, () -> anonymous.socket("c", null), "no token: the handshake is refused");
        assertThrows(Exception.class, () -> anonymous.socket("c", "token=nope"));
        var ws = anonymous.socket("c", "token=alpha-token");
        try {
            assertEquals("c", ws.await("status", null, false).getAsJsonObject("data").get("sid").getAsString());
        } finally {
            ws.close();
        }
        var withHeader = new ComfyClient(port, "alpha-token").socket("d", null);
        withHeader.close();
    }
}
