package io.stipple.cli;

import io.grpc.inprocess.InProcessChannelBuilder;
import io.stipple.app.Main;
import io.stipple.app.StippleServer;
import io.stipple.app.config.ServerConfig;
import io.stipple.client.StippleClient;
import java.io.IOException;
import java.util.UUID;

/**
 * A client to a remote server (--server) or to an embedded one started in this process: the CLI
 * talks to both through the same client code. The embedded server accepts file paths as model names.
 */
final class Connection implements AutoCloseable {
    private final StippleClient client;
    private final StippleServer embedded;
    private final io.grpc.ManagedChannel channel;

    private Connection(StippleClient client, StippleServer embedded, io.grpc.ManagedChannel channel) {
        this.client = client;
        this.embedded = embedded;
        this.channel = channel;
    }

    static Connection open(RemoteOptions remote, ServerOptions options) {
        if (remote.remote()) {
            return new Connection(StippleClient.connect(remote.channel()), null, null);
        }
        ServerConfig config = options.toConfig().toBuilder().allowAbsolutePaths(true).build();
        StippleServer s = Main.server(config);
        String name = "stipple-cli-" + UUID.randomUUID();
        try {
            s.startInProcess(name);
        } catch (IOException e) {
            s.close();
            throw new IllegalStateException(e);
        }
        var ch = InProcessChannelBuilder.forName(name).maxInboundMessageSize(ServerConfig.MAX_MESSAGE_BYTES).build();
        return new Connection(StippleClient.over(ch), s, ch);
    }

    StippleClient client() {
        return client;
    }

    boolean embedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        client.close();
        if (channel != null) {
            channel.shutdownNow();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
