package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.proto.v1.ListModelsRequest;
import io.stipple.proto.v1.ResidentModel;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** --preload: the model is loaded before health says SERVING; one that cannot be keeps it NOT_SERVING. */
class PreloadTest {
    private static ServingStatus awaitHealth(StippleServerExtension server, ServingStatus wanted) throws InterruptedException {
        var health = HealthGrpc.newBlockingStub(server.channel());
        ServingStatus status = null;
        for (int i = 0; i < 300; i++) {
            status = health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
            if (status == wanted) {
                break;
            }
            Thread.sleep(20);
        }
        return status;
    }

    @Nested
    class AModelThatLoads {
        @RegisterExtension
        static final StippleServerExtension server = new StippleServerExtension(16, plugins -> {},
                (b, home) -> b.preload(List.of("sd15_tiny.safetensors")));

        @Test
        void isResidentWhenHealthSaysServing() throws Exception {
            assertEquals(ServingStatus.SERVING, awaitHealth(server, ServingStatus.SERVING));
            assertEquals(List.of("sd15_tiny.safetensors"), server.blocking().listModels(ListModelsRequest.getDefaultInstance())
                    .getResidentList().stream().map(ResidentModel::getCheckpoint).toList());
        }
    }

    @Nested
    class AFileThatIsNotAModel {
        @RegisterExtension
        static final StippleServerExtension server = new StippleServerExtension(16, plugins -> {},
                (b, home) -> b.preload(List.of("not_a_model.safetensors")));

        @Test
        void keepsHealthNotServing() throws Exception {
            // the preload job runs at once and fails within milliseconds; a second is plenty
            Thread.sleep(1000);
            assertEquals(ServingStatus.NOT_SERVING, HealthGrpc.newBlockingStub(server.channel())
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus());
        }
    }
}
