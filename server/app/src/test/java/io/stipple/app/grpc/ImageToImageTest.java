package io.stipple.app.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.InitSource;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.OutputOptions;
import io.stipple.proto.v1.ResizeMode;
import io.stipple.tensor.testing.Golden;
import java.nio.file.Files;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Image-to-image from an image (own size or fitted) and from a ComfyUI .latent, and the bad inputs. */
class ImageToImageTest {
    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    private static GenerateRequest.Builder base() {
        return GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("a red ball on a blue mat").setSteps(4).setSeed(9).setDenoise(0.6f);
    }

    @Test
    void anInitImageSetsTheSizeOrIsFittedToTheRequestedOne() throws Exception {
        byte[] png = Files.readAllBytes(Golden.path("e2e/sd15_img2img_euler_normal_d0p6/init.png"));
        var client = StippleClient.over(server.channel());
        var own = client.generate(base().setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(png))).build());
        assertEquals(64, own.images().getFirst().getWidth());
        assertTrue(own.images().getFirst().getParameters().contains("Denoising strength: 0.6"));
        for (ResizeMode mode : new ResizeMode[] {ResizeMode.RESIZE_MODE_CROP, ResizeMode.RESIZE_MODE_STRETCH}) {
            var fitted = client.generate(base().setWidth(96).setHeight(64)
                    .setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(png)).setResize(mode)).build());
            var img = ImageIO.read(fitted.images().getFirst().getPng().newInput());
            assertEquals(96, img.getWidth());
            assertEquals(64, img.getHeight());
        }
    }

    @Test
    void aSideNotAskedForIsTheImagesOwnCroppedToAMultipleOfEight() throws Exception {
        // a 70x74 image: its own size is cropped to 64x72 as ComfyUI's VAEEncode crops
        var image = new java.awt.image.BufferedImage(70, 74, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var bytes = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        var client = StippleClient.over(server.channel());
        var own = client.generate(base().setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(bytes.toByteArray()))).build());
        assertEquals(64, own.images().getFirst().getWidth());
        assertEquals(72, own.images().getFirst().getHeight());
        var wide = client.generate(base().setWidth(96).setInit(InitSource.newBuilder().setImage(ByteString.copyFrom(bytes.toByteArray()))).build());
        assertEquals(96, wide.images().getFirst().getWidth());
        assertEquals(72, wide.images().getFirst().getHeight());
    }

    @Test
    void aSavedLatentStartsTheNextGeneration() {
        var client = StippleClient.over(server.channel());
        var first = client.generate(GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("first").setWidth(64).setHeight(96).setSteps(2).setSeed(1)
                .setOutput(OutputOptions.newBuilder().setIncludeLatent(true)).build());
        ByteString latent = first.result().getLatent();
        var second = client.generate(base().setInit(InitSource.newBuilder().setLatent(latent)).build());
        assertEquals(64, second.images().getFirst().getWidth());
        assertEquals(96, second.images().getFirst().getHeight(), "the latent's size sets the image size");
        var mismatch = assertThrows(StatusRuntimeException.class, () -> client.generate(base().setWidth(128)
                .setInit(InitSource.newBuilder().setLatent(latent)).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, mismatch.getStatus().getCode());
        assertTrue(mismatch.getStatus().getDescription().startsWith("width: the init latent is 64x96"), mismatch.getStatus().getDescription());
    }

    @Test
    void aLatentOfTheWrongShapeIsInvalid() {
        // a safetensors file whose latent_tensor has 3 channels
        var client = StippleClient.over(server.channel());
        var first = client.generate(GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint("sd15_tiny.safetensors"))
                .setPrompt("x").setWidth(64).setHeight(64).setSteps(1).setSeed(1).setOutput(OutputOptions.newBuilder().setIncludeLatent(true)).build());
        byte[] bytes = first.result().getLatent().toByteArray();
        byte[] broken = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("[1,4,8,8]", "[2,2,8,8]").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        var e = assertThrows(StatusRuntimeException.class, () -> client.generate(base()
                .setInit(InitSource.newBuilder().setLatent(ByteString.copyFrom(broken))).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("init.latent: latent_tensor has 2 channels (expected: 4)"),
                e.getStatus().getDescription());
    }
}
