package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.tensor.testing.Golden;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * model.vae with VAE files in both layouts: the tiny checkpoint's own VAE as an ldm-layout file and as a
 * diffusers-layout one (case vae_diffusers) both give the image of the checkpoint's VAE, bit for bit.
 */
class VaeOverrideRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    @BeforeAll
    static void installVaes() throws Exception {
        Files.copy(Golden.path("vae_diffusers/vae_diffusers.safetensors"), server.home().resolve("models/vae/diffusers.safetensors"));
        Files.copy(Golden.path("models/sd15_tiny.safetensors"), server.home().resolve("models/vae/ldm.safetensors"));
    }

    private static byte[] png(String vae) {
        ModelSpec.Builder model = ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors");
        if (vae != null) {
            model.setVae(vae);
        }
        return StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder().setModel(model).setPrompt("a cat").setWidth(64)
                .setHeight(64).setSteps(2).setSeed(9).build()).images().getFirst().getPng().toByteArray();
    }

    @Test
    void bothLayoutsDecodeAsTheCheckpointsOwnVae() {
        byte[] own = png(null);
        assertArrayEquals(own, png("ldm.safetensors"));
        assertArrayEquals(own, png("diffusers.safetensors"));
    }
}
