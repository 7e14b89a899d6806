package io.stipple.app.comfy;

import com.google.gson.JsonObject;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open websockets by client id: a prompt's messages go to the client that queued it (or to
 * every client when it named none), status messages to everyone, as ComfyUI sends them.
 */
final class ComfySessions {
    /** ComfyUI's binary event type for a sampling preview. */
    static final int PREVIEW_IMAGE = 1;

    private final Map<String, Channel> clients = new ConcurrentHashMap<>();

    void open(String clientId, Channel channel) {
        clients.put(clientId, channel);
        channel.closeFuture().addListener(f -> clients.remove(clientId, channel));
    }

    /** {@code {"type": type, "data": data}} to {@code clientId}, or to everyone when it is null. */
    void send(String clientId, String type, JsonObject data) {
        JsonObject m = new JsonObject();
        m.addProperty("type", type);
        m.add("data", data);
        String text = m.toString();
        for (Channel c : targets(clientId)) {
            c.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    /**
     * A preview frame: 4-byte big-endian event type 1, 4-byte format (1 JPEG, 2 PNG), the image.
     * One not yet written to a slow client is dropped, never queued behind it.
     */
    void preview(String clientId, boolean png, byte[] image) {
        for (Channel c : targets(clientId)) {
            if (c.isWritable()) {
                var buf = Unpooled.buffer(8 + image.length).writeInt(PREVIEW_IMAGE).writeInt(png ? 2 : 1).writeBytes(image);
                c.writeAndFlush(new BinaryWebSocketFrame(buf));
            }
        }
    }

    private Iterable<Channel> targets(String clientId) {
        if (clientId == null) {
            return clients.values();
        }
        Channel c = clients.get(clientId);
        return c == null ? java.util.List.of() : java.util.List.of(c);
    }
}
