package io.stipple.app.comfy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.stipple.tensor.testing.Golden;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test's ComfyUI API client over java.net.http: JSON routes, and a websocket that records every message. */
final class ComfyClient {
    final HttpClient http = HttpClient.newHttpClient();
    final String base;
    final String token;

    ComfyClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** The demo model's ComfyUI prompt (testdata/golden/demo-model/e2e), with fewer steps to stay quick. */
    static JsonObject demoPrompt(int steps) {
        JsonObject p = Golden.manifest("demo-model/e2e").getAsJsonArray("cases").get(0).getAsJsonObject()
                .getAsJsonObject("comfyui_api_prompt").deepCopy();
        p.getAsJsonObject("1").getAsJsonObject("inputs").addProperty("ckpt_name", "stipple-demo-shapes.safetensors");
        p.getAsJsonObject("5").getAsJsonObject("inputs").addProperty("steps", steps);
        return p;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart/form-data POST: each part a field (name → text) or, for {@code fileName} non-null, the file of {@code filePart}. */
    HttpResponse<String> postForm(String path, String filePart, String fileName, byte[] file, java.util.Map<String, String> fields) throws Exception {
        String boundary = "stipple-test-boundary";
        var out = new java.io.ByteArrayOutputStream();
        for (var f : fields.entrySet()) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n" + f.getValue() + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (fileName != null) {
            out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + filePart + "\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(file);
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    Socket socket(String clientId, String query) throws Exception {
        Socket s = new Socket();
        String uri = base.replace("http:", "ws:") + "/ws?clientId=" + clientId + (query == null ? "" : "&" + query);
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        s.ws = b.buildAsync(URI.create(uri), s).get(10, TimeUnit.SECONDS);
        return s;
    }

    /** The messages one websocket got: text as JSON, binary frames as bytes. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        final List<JsonObject> all = new CopyOnWriteArrayList<>();
        final List<byte[]> binary = new CopyOnWriteArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonObject m = JsonParser.parseString(text.toString()).getAsJsonObject();
                text.setLength(0);
                all.add(m);
                messages.add(m);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.writeBytes(b);
            if (last) {
                binary.add(bytes.toByteArray());
                bytes.reset();
            }
            webSocket.request(1);
            return null;
        }

        /** Waits for a message of this type (for this prompt, when given), keeping the ones before it in {@link #all}. */
        JsonObject await(String type, String promptId, boolean nodeNull) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                JsonObject m = messages.poll(1, TimeUnit.SECONDS);
                if (m == null || !m.get("type").getAsString().equals(type)) {
                    continue;
                }
                JsonObject d = m.getAsJsonObject("data");
                if (promptId != null && !(d.has("prompt_id") && d.get("prompt_id").getAsString().equals(promptId))) {
                    continue;
                }
                if (nodeNull && !(d.has("node") && d.get("node").isJsonNull())) {
                    continue;
                }
                return m;
            }
            throw new AssertionError("no " + type + " message within 120 s; got " + all);
        }

        boolean got(String type) {
            return all.stream().anyMatch(m -> m.get("type").getAsString().equals(type));
        }

        void close() {
            ws.abort();
        }
    }
}
