package io.stipple.app.comfy;

import com.google.gson.JsonObject;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.grpc.netty.shaded.io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * GET /ws?clientId=...: the handshake, then the session: the client gets the queue's status at once
 * (with its sid, as ComfyUI sends it), then its prompts' messages from {@link ComfySessions}.
 */
final class WebSocketUpgrade {
    private static final int MAX_FRAME = 1 << 20;

    private final ComfySessions sessions;
    private final IntSupplier queueRemaining;

    WebSocketUpgrade(ComfySessions sessions, IntSupplier queueRemaining) {
        this.sessions = sessions;
        this.queueRemaining = queueRemaining;
    }

    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        String url = "ws://" + request.headers().get("Host", "localhost") + uri.path();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, true, MAX_FRAME).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        var id = uri.parameters().get("clientId");
        String clientId = id == null || id.isEmpty() || id.get(0).isBlank() ? UUID.randomUUID().toString().replace("-", "") : id.get(0);
        ctx.pipeline().replace(ctx.handler(), "comfy-ws", new Frames(handshaker));
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (f.isSuccess()) {
                sessions.open(clientId, ctx.channel());
                sessions.send(clientId, "status", status(queueRemaining.getAsInt(), clientId));
            }
        });
    }

    /** {@code {"status": {"exec_info": {"queue_remaining": n}}, "sid": ...}}; the sid only in the first one. */
    static JsonObject status(int remaining, String sid) {
        JsonObject exec = new JsonObject();
        exec.addProperty("queue_remaining", remaining);
        JsonObject status = new JsonObject();
        status.add("exec_info", exec);
        JsonObject d = new JsonObject();
        d.add("status", status);
        if (sid != null) {
            d.addProperty("sid", sid);
        }
        return d;
    }

    /** The client's frames: close and ping are answered; text (ComfyUI's feature flags) is not needed here. */
    private static final class Frames extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final WebSocketServerHandshaker handshaker;

        Frames(WebSocketServerHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close.retain());
            } else if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
