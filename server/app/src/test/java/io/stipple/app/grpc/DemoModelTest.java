package io.stipple.app.grpc;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.app.testing.StippleServerExtension;
import io.stipple.client.StippleClient;
import io.stipple.proto.v1.GenerateRequest;
import io.stipple.proto.v1.ModelSpec;
import io.stipple.proto.v1.OutputOptions;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The bundled demo model over gRPC: ComfyUI's e2e cases (testdata/golden/demo-model/e2e) and its own default size. */
class DemoModelTest {
    private static final String MODEL = "stipple-demo-shapes.safetensors";

    @RegisterExtension
    static final StippleServerExtension server = new StippleServerExtension();

    @TempDir
    Path dir;

    static Stream<String> cases() {
        return Golden.manifest("demo-model/e2e").getAsJsonArray("cases").asList().stream()
                .map(c -> c.getAsJsonObject().get("name").getAsString());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesComfyUi(String name) throws Exception {
        JsonObject params = null;
        for (JsonElement c : Golden.manifest("demo-model/e2e").getAsJsonArray("cases")) {
            if (c.getAsJsonObject().get("name").getAsString().equals(name)) {
                params = c.getAsJsonObject().getAsJsonObject("params");
            }
        }
        var request = GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint(MODEL))
                .setPrompt(params.get("prompt").getAsString()).setNegativePrompt(params.get("negative").getAsString())
                .setSeed(params.get("seed").getAsLong()).setSteps(params.get("steps").getAsInt()).setCfg(params.get("cfg").getAsFloat())
                .setSampler(params.get("sampler").getAsString()).setScheduler(params.get("scheduler").getAsString())
                .setWidth(params.get("width").getAsInt()).setHeight(params.get("height").getAsInt())
                .setOutput(OutputOptions.newBuilder().setIncludeLatent(true)).build();
        var out = StippleClient.over(server.channel()).generate(request);

        GoldenTensors expected = Golden.tensors("demo-model/e2e/data.safetensors");
        Path latentFile = Files.write(dir.resolve("out.latent"), out.result().getLatent().toByteArray());
        assertCloseRelative(name + " latent", expected.floats(name + "/samples"), GoldenTensors.read(latentFile).floats("latent_tensor"), 1e-3);
        BufferedImage png = ImageIO.read(out.images().getFirst().getPng().newInput());
        assertClose(name + " png", expected.floats(name + "/png"), rgb(png), 1.0);
    }

    @Test
    void theSizeItsMetadataRecommendsIsTheDefault() throws Exception {
        var client = StippleClient.over(server.channel());
        var base = GenerateRequest.newBuilder().setModel(ModelSpec.newBuilder().setCheckpoint(MODEL)).setPrompt("blue triangle")
                .setSteps(1).setSeed(1);
        var own = client.generate(base.build()).images().getFirst();
        assertEquals(64, own.getWidth());
        assertEquals(64, own.getHeight());
        var wide = client.generate(base.setWidth(128).build()).images().getFirst();
        assertEquals(128, wide.getWidth(), "a side asked for is kept");
        assertEquals(64, wide.getHeight(), "the other is the recommended one");
    }

    static float[] rgb(BufferedImage img) {
        float[] v = new float[img.getWidth() * img.getHeight() * 3];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int o = (y * img.getWidth() + x) * 3;
                v[o] = (p >> 16) & 0xff;
                v[o + 1] = (p >> 8) & 0xff;
                v[o + 2] = p & 0xff;
            }
        }
        return v;
    }
}
