package io.stipple.app.comfy;

import com.google.inject.Injector;
import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.stipple.app.auth.TokenFile;
import io.stipple.app.config.ServerConfig;
import io.stipple.app.grpc.StippleService;
import io.stipple.app.jobs.JobQueue;
import io.stipple.app.models.ModelCache;
import io.stipple.app.models.ModelRepository;
import io.stipple.app.plugins.PluginRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * ComfyUI's HTTP and websocket API on its own port ({@code --comfy-port}), on Netty's HTTP and
 * websocket codecs (the shaded Netty gRPC brings). Prompts go through RunWorkflow's code, so they
 * share the job queue, its limits and the bearer tokens with gRPC callers.
 */
public final class ComfyServer implements AutoCloseable {
    /** The images kept for /view: the newest 256 MiB. */
    private static final long IMAGE_BYTES = 256L << 20;
    /** The images uploaded for LoadImage (/upload/image): the newest 256 MiB. */
    private static final long UPLOAD_BYTES = 256L << 20;
    /** ComfyUI keeps 10000 prompts; images dominate memory here, and they have their own bound. */
    private static final int HISTORY = 1000;

    private final EventLoopGroup boss = new NioEventLoopGroup(1);
    private final EventLoopGroup workers = new NioEventLoopGroup(2);
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private Channel channel;

    private ComfyServer() {}

    /**
     * Listens on {@code config.host()} and {@code config.comfyPort()} (0: a free port).
     *
     * @param tokens the bearer tokens calls must carry, or null for none
     */
    public static ComfyServer start(Injector injector, ServerConfig config, TokenFile tokens) throws InterruptedException {
        ComfyServer s = new ComfyServer();
        PromptHistory history = new PromptHistory(HISTORY);
        ImageStore images = new ImageStore(IMAGE_BYTES);
        ComfySessions sessions = new ComfySessions();
        JobQueue queue = injector.getInstance(JobQueue.class);
        QueueRoutes queueRoutes = new QueueRoutes(queue, history);
        Runnable queueChanged = () -> sessions.send(null, "status", WebSocketUpgrade.status(queueRoutes.remaining(), null));
        UploadedImages uploads = new UploadedImages(UPLOAD_BYTES);
        PromptBridge prompts = new PromptBridge(injector.getInstance(StippleService.class), history, sessions, images, uploads, queueChanged);
        ComfyRouter router = new ComfyRouter(prompts, new HistoryRoutes(history), queueRoutes, new ViewRoute(images), new SystemStats(config),
                new ObjectInfo(injector.getInstance(PluginRegistry.class), injector.getInstance(ModelRepository.class)), new UploadRoute(uploads),
                new ModelsRoute(injector.getInstance(ModelRepository.class), injector.getInstance(ModelCache.class).embeddings()));
        WebSocketUpgrade websockets = new WebSocketUpgrade(sessions, queueRoutes::remaining);
        s.channel = new ServerBootstrap().group(s.boss, s.workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // the same bound on a request as gRPC's largest message
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(ServerConfig.MAX_MESSAGE_BYTES),
                                new HttpHandler(router, websockets, tokens, s.handlers));
                    }
                }).bind(new InetSocketAddress(config.host(), config.comfyPort())).sync().channel();
        return s;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        handlers.shutdownNow();
    }
}
