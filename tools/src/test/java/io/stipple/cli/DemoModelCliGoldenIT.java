package io.stipple.cli;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo model's e2e cases (testdata/golden/demo-model/e2e, three in one manifest) run as their
 * stipple command lines, embedded; the .latent and the PNG compared with ComfyUI's.
 */
class DemoModelCliGoldenIT {
    @TempDir
    Path out;

    static Stream<String> cases() {
        return Golden.manifest("demo-model/e2e").getAsJsonArray("cases").asList().stream()
                .map(c -> c.getAsJsonObject().get("name").getAsString());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesComfyUi(String name) {
        List<String> args = new ArrayList<>();
        for (JsonElement e : testCase(name).getAsJsonArray("cli")) {
            args.add(e.getAsString().replace("shared/demo-model/", Golden.path("demo-model").toString() + "/")
                    .replace("OUT.latent", out.resolve("OUT.latent").toString()).replace("OUT.png", out.resolve("OUT.png").toString()));
        }
        args.removeFirst(); // "stipple"
        var run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());

        GoldenTensors expected = Golden.tensors("demo-model/e2e/data.safetensors");
        GoldenTensors latent = GoldenTensors.read(out.resolve("OUT.latent"));
        assertCloseRelative(name + " latent", expected.floats(name + "/samples"), latent.floats("latent_tensor"), 1e-3);
        try {
            assertClose(name + " png", expected.floats(name + "/png"), CliGoldenIT.pixels(ImageIO.read(out.resolve("OUT.png").toFile())), 1.0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonObject testCase(String name) {
        return Golden.manifest("demo-model/e2e").getAsJsonArray("cases").asList().stream().map(JsonElement::getAsJsonObject)
                .filter(c -> c.get("name").getAsString().equals(name)).findFirst().orElseThrow();
    }
}
