package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.GenerationOutput;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSamplingSpec;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.Prediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** model.sampling through the service: v-prediction changes the image, eps is the checkpoint's own, an unspecified one is refused. */
class ModelSamplingRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static GenerationOutput generate(ModelSamplingSpec sampling) {
        ModelSpec.Builder model = ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors");
        if (sampling != null) {
            model.setSampling(sampling);
        }
        return StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder().setModel(model).setPrompt("a photo of a cat")
                .setWidth(64).setHeight(64).setSteps(3).setSeed(42).build());
    }

    private static byte[] png(GenerationOutput o) {
        return o.images().getFirst().getPng().toByteArray();
    }

    @Test
    void vPredictionChangesTheImageAndEpsIsTheCheckpointsOwn() {
        byte[] plain = png(generate(null));
        byte[] eps = png(generate(ModelSamplingSpec.newBuilder().setPrediction(Prediction.EPS).build()));
        byte[] v = png(generate(ModelSamplingSpec.newBuilder().setPrediction(Prediction.V_PREDICTION).build()));
        byte[] vz = png(generate(ModelSamplingSpec.newBuilder().setPrediction(Prediction.V_PREDICTION).setZsnr(true).build()));
        assertArrayEquals(plain, eps);
        assertFalse(java.util.Arrays.equals(plain, v));
        assertFalse(java.util.Arrays.equals(v, vz));
    }

    @Test
    void anUnspecifiedPredictionIsRefused() {
        var e = assertThrows(StatusRuntimeException.class, () -> generate(ModelSamplingSpec.newBuilder().setZsnr(true).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("model.sampling.prediction: 0 (expected: EPS or V_PREDICTION)", e.getStatus().getDescription());
    }
}
