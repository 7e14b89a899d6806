package io.stipple.client;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.stipple.proto.v1.CancelJobRequest;
import io.stipple.proto.v1.CancelJobResponse;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.RunWorkflowRequest;
import io.stipple.proto.v1.WorkflowEvent;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.ListJobsRequest;
import io.stipple.proto.v1.ListJobsResponse;
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.ListModelsResponse;
import io.stipple.proto.v1.ListSamplersRequest;
import io.stipple.proto.v1.ListSamplersResponse;
import io.stipple.proto.v1.MergeEvent;
import io.stipple.proto.v1.MergeRequest;
import io.stipple.proto.v1.Result;
import io.stipple.proto.v1.StippleGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Stipple server as a Java service calls it: blocking calls that return the images, a blocking
 * iterator over the event stream, and asynchronous generations with a listener for progress,
 * previews and images. Deadlines apply per call; cancellation stops the server's job.
 */
public final class StippleClient implements AutoCloseable {
    private final Channel channel;
    private final ManagedChannel owned;
    private final Duration deadline;

    private StippleClient(Channel channel, ManagedChannel owned, Duration deadline) {
        this.channel = channel;
        this.owned = owned;
        this.deadline = deadline;
    }

    /** Connects to a server; close the client to close the connection. */
    public static StippleClient connect(ChannelOptions options) {
        ChannelCredentials credentials;
        try {
            credentials = credentials(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
        }
        // round robin: a target that resolves to several replicas (dns:///stipple.svc:7860 of a headless
        // Kubernetes Service) spreads calls over all of them, and moves off one that goes away
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(options.target(), credentials)
                .maxInboundMessageSize(options.maxMessageBytes()).defaultLoadBalancingPolicy("round_robin");
        if (options.keepAlive() != null) {
            builder.keepAliveTime(options.keepAlive().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (options.bearerToken() != null) {
            builder.intercept(bearer(options.bearerToken()));
        }
        ManagedChannel ch = builder.build();
        return new StippleClient(ch, ch, null);
    }

    private static ChannelCredentials credentials(ChannelOptions o) throws IOException {
        if (!o.tls()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder();
        if (o.trustedCertificates() != null) {
            b.trustManager(o.trustedCertificates().toFile());
        }
        if (o.clientCertificate() != null) {
            b.keyManager(o.clientCertificate().toFile(), o.clientKey().toFile());
        }
        return b.build();
    }

    private static ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** A client over a channel the caller owns (in-process servers, custom channels). */
    public static StippleClient over(Channel channel) {
        return new StippleClient(channel, null, null);
    }

    /** The same client sending {@code token} as a bearer token with every call (for a channel the caller owns). */
    public StippleClient withToken(String token) {
        return new StippleClient(ClientInterceptors.intercept(channel, bearer(token)), null, deadline);
    }

    /** The same client with a deadline on every call (a generation's whole stream included). */
    public StippleClient withDeadline(Duration deadline) {
        return new StippleClient(channel, null, deadline);
    }

    private StippleGrpc.StippleBlockingStub blocking() {
        var stub = StippleGrpc.newBlockingStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private StippleGrpc.StippleStub async() {
        var stub = StippleGrpc.newStub(channel);
        return deadline == null ? stub : stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Generates and waits for the images.
     *
     * @throws StatusRuntimeException with the server's status on failure
     */
    public GenerationOutput generate(GenerateRequest request) {
        List<Image> images = new ArrayList<>();
        Result result = null;
        Iterator<GenerateEvent> events = events(request);
        while (events.hasNext()) {
            GenerateEvent e = events.next();
            if (e.hasImage()) {
                images.add(e.getImage());
            } else if (e.hasResult()) {
                result = e.getResult();
            }
        }
        return new GenerationOutput(images, result);
    }

    /** The raw event stream, blocking on each next(); abandon it early only through a deadline or cancellation of the context. */
    public Iterator<GenerateEvent> events(GenerateRequest request) {
        return blocking().generate(request);
    }

    /** Starts a generation; the listener sees each event as it arrives. */
    public Generation generateAsync(GenerateRequest request, GenerationListener listener) {
        Generation generation = new Generation();
        async().generate(request, generation.observer(listener));
        return generation;
    }

    /** Merges checkpoints on the server; the events report progress and the result. */
    public Iterator<MergeEvent> merge(MergeRequest request) {
        return blocking().merge(request);
    }

    /** Runs a ComfyUI workflow on the server; the events report each node, progress, previews, images and the result. */
    public Iterator<WorkflowEvent> runWorkflow(RunWorkflowRequest request) {
        return blocking().runWorkflow(request);
    }

    public ListModelsResponse listModels() {
        return blocking().listModels(ListModelsRequest.getDefaultInstance());
    }

    public ListSamplersResponse listSamplers() {
        return blocking().listSamplers(ListSamplersRequest.getDefaultInstance());
    }

    /** The running job and the waiting ones, in the order they will run. */
    public ListJobsResponse listJobs() {
        return blocking().listJobs(ListJobsRequest.getDefaultInstance());
    }

    /**
     * Cancels a job by the id its stream's {@code queued} event carried, from any client.
     *
     * @throws StatusRuntimeException NOT_FOUND when the server holds no such job
     */
    public CancelJobResponse cancelJob(String jobId) {
        return blocking().cancelJob(CancelJobRequest.newBuilder().setJobId(jobId).build());
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.shutdown();
            try {
                if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
                    owned.shutdownNow();
                }
            } catch (InterruptedException e) {
                owned.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
