package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.GenerationOutput;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.LoraSpec;
import io.stipple.proto.v1.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LoRAs through the service: applied, stacked, at strength 0, replaced, refused on the wrong family. */
class LoraRpcTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static GenerationOutput generate(String checkpoint, LoraSpec... loras) {
        return StippleClient.over(server.channel()).generate(GenerateRequest.newBuilder()
                .setModel(ModelSpec.newBuilder().setCheckpoint(checkpoint).addAllLoras(java.util.List.of(loras)))
                .setPrompt("a lora test prompt").setWidth(64).setHeight(64).setSteps(2).setSeed(5).build());
    }

    private static LoraSpec lora(String name, float model, float clip) {
        return LoraSpec.newBuilder().setName(name).setStrengthModel(model).setStrengthClip(clip).build();
    }

    /** The decoded pixels (the PNG's bytes also hold the parameters, which name the LoRAs). */
    private static int[] png(GenerationOutput o) {
        try {
            var img = javax.imageio.ImageIO.read(o.images().getFirst().getPng().newInput());
            return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLoraChangesTheImageAndStrengthZeroDoesNot() {
        int[] plain = png(generate("sd15_tiny.safetensors"));
        int[] withLora = png(generate("sd15_tiny.safetensors", lora("lora_a.safetensors", 0.8f, 1.0f)));
        int[] zero = png(generate("sd15_tiny.safetensors", lora("lora_a.safetensors", 0f, 0f)));
        int[] again = png(generate("sd15_tiny.safetensors"));
        assertFalse(java.util.Arrays.equals(plain, withLora));
        assertArrayEquals(plain, zero, "a LoRA at strength 0 gives the plain model");
        assertArrayEquals(plain, again, "the LoRA is removed when the next request asks for none");
    }

    @Test
    void stackedLorasAreReportedInTheParameters() {
        var output = generate("sd15_tiny.safetensors", lora("lora_a.safetensors", 0.5f, 0.5f), lora("lora_b.safetensors", 0.5f, 0.5f));
        String parameters = output.images().getFirst().getParameters();
        assertTrue(parameters.contains("Lora hashes: \"lora_a: "), parameters);
        assertTrue(parameters.contains("lora_b: "), parameters);
    }

    @Test
    void anSdxlLoraOnSd15IsRefused() {
        var e = assertThrows(StatusRuntimeException.class, () -> generate("sd15_tiny.safetensors", lora("sdxl_lora.safetensors", 1f, 1f)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(e.getStatus().getDescription().startsWith("model.loras[0].name: "), e.getStatus().getDescription());
        assertTrue(generate("sdxl_tiny.safetensors", lora("sdxl_lora.safetensors", 1f, 1f)).images().size() == 1,
                "it is accepted where it belongs");
    }

    @Test
    void keysThatMatchNothingAreReportedAsWarnings() {
        // the tiny SDXL UNet has no attention at its first level: those keys of an SD1.5 LoRA match nothing
        var output = generate("sdxl_tiny.safetensors", lora("lora_a.safetensors", 1f, 1f));
        assertTrue(output.result().getWarningsList().stream().anyMatch(w -> w.startsWith("lora_a.safetensors: lora key not loaded")),
                output.result().getWarningsList().toString());
    }
}
