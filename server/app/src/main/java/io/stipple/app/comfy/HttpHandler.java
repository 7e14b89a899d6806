package io.stipple.app.comfy;

import io.grpc.netty.shaded.io.netty.buffer.ByteBufUtil;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.Attribute;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.FileUpload;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.grpc.netty.shaded.io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpUtil;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.stipple.app.auth.TokenFile;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * One connection's HTTP requests: checks the bearer token, upgrades {@code /ws} to a websocket,
 * and runs every other route off the event loop (a prompt's checks can take a while), answering
 * errors as JSON.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(HttpHandler.class.getName());
    private static final String BEARER = "bearer ";

    private final ComfyRouter router;
    private final WebSocketUpgrade websockets;
    private final TokenFile tokens;
    private final ExecutorService handlers;

    /** @param tokens the accepted bearer tokens, or null when the server takes calls without one */
    HttpHandler(ComfyRouter router, WebSocketUpgrade websockets, TokenFile tokens, ExecutorService handlers) {
        this.router = router;
        this.websockets = websockets;
        this.tokens = tokens;
        this.handlers = handlers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            write(ctx, ComfyException.plain(400, "malformed HTTP request"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        // every route is also under /api, as ComfyUI's frontend calls them
        if (path.equals("/api") || path.startsWith("/api/")) {
            path = path.substring(4);
        }
        boolean ws = path.equals("/ws");
        String refusal = refusal(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                ws && uri.parameters().containsKey("token") ? uri.parameters().get("token").get(0) : null);
        if (refusal != null) {
            write(ctx, ComfyException.plain(401, refusal), keepAlive);
            return;
        }
        if (ws) {
            websockets.upgrade(ctx, request, uri);
            return;
        }
        Map<String, FormPart> form;
        try {
            form = form(request);
        } catch (RuntimeException e) { // Netty's decoder on a malformed multipart body
            write(ctx, ComfyException.plain(400, "malformed multipart/form-data body: " + Printable.of(String.valueOf(e.getMessage()))), keepAlive);
            return;
        }
        ComfyRequest r = new ComfyRequest(request.method().name(), path, uri.parameters(), ByteBufUtil.getBytes(request.content()), form);
        handlers.execute(() -> {
            ComfyResponse response;
            try {
                response = router.route(r);
            } catch (ComfyException e) {
                response = ComfyResponse.json(e.status(), e.body());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "ComfyUI API: " + r.method() + " " + r.path() + " failed", e);
                response = ComfyResponse.json(500, ComfyException.plain(500, "internal server error").body());
            }
            write(ctx, response, keepAlive);
        });
    }

    /** The parts of a multipart/form-data POST (ComfyUI's /upload/image), decoded by Netty; empty for any other body. */
    private static Map<String, FormPart> form(FullHttpRequest request) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (!request.method().name().equals("POST") || type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            return Map.of();
        }
        HttpPostRequestDecoder decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request);
        try {
            Map<String, FormPart> parts = new java.util.LinkedHashMap<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                try {
                    switch (data) {
                        case FileUpload f -> parts.putIfAbsent(f.getName(), new FormPart(f.getName(), f.getFilename(), f.get()));
                        case Attribute a -> parts.putIfAbsent(a.getName(), new FormPart(a.getName(), null, a.get()));
                        default -> { }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return parts;
        } finally {
            decoder.destroy();
        }
    }

    /** Why the call may not go on, or null: a bearer header, or (for the websocket) a {@code token} parameter. */
    private String refusal(String header, String tokenParam) {
        if (tokens == null) {
            return null;
        }
        if (tokenParam != null) {
            return tokens.accepts(tokenParam.strip()) ? null : "unknown token (expected: one of the server's --auth-tokens)";
        }
        if (header == null) {
            return "missing the Authorization header (expected: Authorization: Bearer <token>)";
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return "the Authorization header is not a bearer token (expected: Authorization: Bearer <token>)";
        }
        return tokens.accepts(header.substring(BEARER.length()).strip()) ? null
                : "unknown bearer token (expected: one of the server's --auth-tokens)";
    }

    private static void write(ChannelHandlerContext ctx, ComfyException e, boolean keepAlive) {
        write(ctx, ComfyResponse.json(e.status(), e.body()), keepAlive);
    }

    private static void write(ChannelHandlerContext ctx, ComfyResponse r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType()).setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset connection or a malformed frame: nothing to answer, only close
        ctx.close();
    }
}
