package io.stipple.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.stipple.proto.v1.CancelJobRequest;
import io.stipple.proto.v1.CancelJobResponse;
import io.stipple.proto.v1.GenerateEvent;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.Image;
import io.stipple.proto.v1.JobState;
import io.stipple.proto.v1.Progress;
import io.stipple.proto.v1.Queued;
import io.stipple.proto.v1.Result;
import io.stipple.proto.v1.StippleGrpc;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted server (in-process): what each call returns, the order a listener
 * sees, that cancelling and deadlines reach the server, and the token on the wire.
 */
class StippleClientTest {
    /** Streams queued, `steps` progress events, one image and the result; or runs until cancelled when steps is 0. */
    private static final class ScriptedService extends StippleGrpc.StippleImplBase {
        final CompletableFuture<Status> serverSawCancel = new CompletableFuture<>();
        final List<String> authorization = new CopyOnWriteArrayList<>();

        @Override
        public void generate(GenerateRequest request, StreamObserver<GenerateEvent> observer) {
            var call = (ServerCallStreamObserver<GenerateEvent>) observer;
            call.setOnCancelHandler(() -> serverSawCancel.complete(Context.current().getDeadline() != null
                    && Context.current().getDeadline().isExpired() ? Status.DEADLINE_EXCEEDED : Status.CANCELLED));
            observer.onNext(GenerateEvent.newBuilder().setQueued(Queued.newBuilder().setPosition(0).setJobId("job-1")).build());
            if (request.getSteps() == 0) {
                return; // runs until the client goes away
            }
            for (int i = 1; i <= request.getSteps(); i++) {
                observer.onNext(GenerateEvent.newBuilder().setProgress(Progress.newBuilder().setStep(i).setTotalSteps(request.getSteps())).build());
            }
            observer.onNext(GenerateEvent.newBuilder().setImage(Image.newBuilder().setIndex(0).setPng(ByteString.copyFromUtf8("png"))).build());
            observer.onNext(GenerateEvent.newBuilder().setResult(Result.newBuilder().setSeed(request.getSeed()).setJobId("job-1")).build());
            observer.onCompleted();
        }

        @Override
        public void cancelJob(CancelJobRequest request, StreamObserver<CancelJobResponse> observer) {
            if (!request.getJobId().equals("job-1")) {
                observer.onError(Status.NOT_FOUND.withDescription("job_id: " + request.getJobId()).asRuntimeException());
                return;
            }
            observer.onNext(CancelJobResponse.newBuilder().setState(JobState.JOB_STATE_RUNNING).build());
            observer.onCompleted();
        }
    }

    private ScriptedService service;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        service = new ScriptedService();
        String name = "client-test-" + UUID.randomUUID();
        ServerInterceptor recordAuth = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                String auth = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                service.authorization.add(auth == null ? "" : auth);
                return next.startCall(call, headers);
            }
        };
        server = InProcessServerBuilder.forName(name).addService(ServerInterceptors.intercept(service, recordAuth)).build().start();
        channel = InProcessChannelBuilder.forName(name).build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    private static GenerateRequest request(int steps) {
        return GenerateRequest.newBuilder().setPrompt("a cat").setSteps(steps).setSeed(7).build();
    }

    @Test
    void generateReturnsTheImagesAndTheResult() {
        GenerationOutput out = StippleClient.over(channel).generate(request(3));
        assertEquals(1, out.images().size());
        assertEquals(7, out.result().getSeed());
        assertEquals("job-1", out.result().getJobId());
    }

    @Test
    void aListenerSeesTheEventsInStreamOrderAndOneEnd() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Generation g = StippleClient.over(channel).generateAsync(request(2), new GenerationListener() {
            @Override
            public void onQueued(Queued q) {
                seen.add("queued " + q.getJobId());
            }

            @Override
            public void onProgress(Progress p) {
                seen.add("progress " + p.getStep());
            }

            @Override
            public void onImage(Image image) {
                seen.add("image");
            }

            @Override
            public void onResult(Result result) {
                seen.add("result");
            }

            @Override
            public void onCompleted() {
                seen.add("completed");
            }

            @Override
            public void onError(Status status) {
                seen.add("error");
            }
        });
        assertEquals(1, g.await(Duration.ofSeconds(10)).images().size());
        assertEquals(List.of("queued job-1", "progress 1", "progress 2", "image", "result", "completed"), seen);
    }

    @Test
    void cancelReachesTheServer() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        Generation g = StippleClient.over(channel).generateAsync(request(0), new GenerationListener() {
            @Override
            public void onQueued(int position) {
                queued.countDown();
            }
        });
        assertTrue(queued.await(10, TimeUnit.SECONDS));
        g.cancel();
        assertEquals(Status.CANCELLED, service.serverSawCancel.get(10, TimeUnit.SECONDS));
        var e = assertThrows(StatusRuntimeException.class, () -> g.await(Duration.ofSeconds(10)));
        assertEquals(Status.Code.CANCELLED, e.getStatus().getCode());
        assertTrue(g.isDone());
    }

    @Test
    void aDeadlineCoversTheWholeStreamAndReachesTheServer() throws Exception {
        var e = assertThrows(StatusRuntimeException.class,
                () -> StippleClient.over(channel).withDeadline(Duration.ofMillis(300)).generate(request(0)));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertEquals(Status.DEADLINE_EXCEEDED, service.serverSawCancel.get(10, TimeUnit.SECONDS));
    }

    @Test
    void withTokenSendsABearerHeaderOnEveryCall() {
        StippleClient client = StippleClient.over(channel).withToken("s3cret");
        client.generate(request(1));
        assertEquals(JobState.JOB_STATE_RUNNING, client.cancelJob("job-1").getState());
        StippleClient.over(channel).generate(request(1));
        assertEquals(List.of("Bearer s3cret", "Bearer s3cret", ""), service.authorization);
    }

    @Test
    void serverErrorsArriveAsTheirStatus() {
        var e = assertThrows(StatusRuntimeException.class, () -> StippleClient.over(channel).cancelJob("nope"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("job_id: nope", e.getStatus().getDescription());
    }

    @Test
    void channelOptionsComposeWithoutLosingAField() {
        ChannelOptions o = ChannelOptions.plaintext("dns:///stipple:7860").withToken("t")
                .withClientCertificate(java.nio.file.Path.of("c.pem"), java.nio.file.Path.of("k.pem")).trusting(java.nio.file.Path.of("ca.pem"));
        assertTrue(o.tls(), "a client certificate means TLS");
        assertEquals("t", o.bearerToken());
        assertEquals(java.nio.file.Path.of("c.pem"), o.clientCertificate());
        assertEquals(java.nio.file.Path.of("ca.pem"), o.trustedCertificates());
        assertEquals("dns:///stipple:7860", o.target());
        assertEquals(ChannelOptions.DEFAULT_MAX_MESSAGE_BYTES, o.maxMessageBytes());
    }
}
