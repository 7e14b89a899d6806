package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.ListModelsResponse;
import io.stipple.proto.v1.ModelInfo;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing, health and reflection, from the client side. */
class ServiceBasicsTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    @Test
    void listsTheModelsFolder() {
        ListModelsResponse r = server.blocking().listModels(ListModelsRequest.getDefaultInstance());
        var names = r.getCheckpointsList().stream().map(ModelInfo::getName).toList();
        assertTrue(names.contains("sd15_tiny.safetensors"), names.toString());
        assertTrue(names.contains("sd15_tiny.ckpt"), names.toString());
        assertEquals("ckpt", r.getCheckpointsList().stream().filter(m -> m.getName().endsWith(".ckpt")).findFirst().orElseThrow().getFormat());
        assertTrue(r.getCheckpointsList().stream().allMatch(m -> m.getSizeBytes() > 0));
    }

    @Test
    void healthSaysServing() {
        var health = HealthGrpc.newBlockingStub(server.channel());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService("stipple.v1.Stipple").build()).getStatus());
        var e = assertThrows(StatusRuntimeException.class,
                () -> health.check(HealthCheckRequest.newBuilder().setService("no.such.Service").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void reflectionListsTheService() throws Exception {
        CompletableFuture<ServerReflectionResponse> response = new CompletableFuture<>();
        var requests = ServerReflectionGrpc.newStub(server.channel()).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse value) {
                response.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                response.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        var services = response.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName()).toList();
        requests.onCompleted();
        assertTrue(services.contains("stipple.v1.Stipple"), services.toString());
        assertTrue(services.contains("grpc.health.v1.Health"), services.toString());
    }

    /** grpcurl before 1.8.8 and other older tools speak only v1alpha. */
    @Test
    @SuppressWarnings("deprecation")
    void v1alphaReflectionListsTheServiceToo() throws Exception {
        CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> response = new CompletableFuture<>();
        var requests = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(server.channel()).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(io.grpc.reflection.v1alpha.ServerReflectionResponse value) {
                response.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                response.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
        });
        requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        var services = response.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(s -> s.getName()).toList();
        requests.onCompleted();
        assertTrue(services.contains("stipple.v1.Stipple"), services.toString());
    }
}
