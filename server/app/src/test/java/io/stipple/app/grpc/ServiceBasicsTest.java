package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.stipple.app.testing.Reflection;
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
    void listsTitlesAndDescriptionsFromTheMetadata() throws Exception {
        // a one-tensor safetensors file whose metadata has both (the demo model has only a title)
        String header = "{\"__metadata__\":{\"modelspec.title\":\"Shapes XL\",\"modelspec.description\":\"Draws shapes.\"},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        header += " ".repeat((8 - header.length() % 8) % 8);
        var bytes = java.nio.ByteBuffer.allocate(8 + header.length() + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)).putFloat(1f).array();
        java.nio.file.Files.write(server.home().resolve("models/checkpoints/described.safetensors"), bytes);

        var byName = server.blocking().listModels(ListModelsRequest.getDefaultInstance()).getCheckpointsList().stream()
                .collect(java.util.stream.Collectors.toMap(ModelInfo::getName, m -> m));
        assertEquals("Shapes XL", byName.get("described.safetensors").getTitle());
        assertEquals("Draws shapes.", byName.get("described.safetensors").getDescription());
        assertEquals("stipple-demo-shapes", byName.get("stipple-demo-shapes.safetensors").getTitle());
        assertEquals("", byName.get("stipple-demo-shapes.safetensors").getDescription());
        for (String none : new String[] {"sd15_tiny.safetensors", "sd15_tiny.ckpt", "not_a_model.safetensors"}) {
            assertEquals("", byName.get(none).getTitle(), none + " has no title, and an unreadable file is still listed");
        }
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
        var services = Reflection.services(server.channel());
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
