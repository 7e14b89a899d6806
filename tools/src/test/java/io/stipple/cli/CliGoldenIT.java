package io.stipple.cli;

import static io.stipple.tensor.testing.TensorAssert.assertClose;
import static io.stipple.tensor.testing.TensorAssert.assertCloseRelative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonElement;
import io.stipple.tensor.testing.Golden;
import io.stipple.tensor.testing.GoldenTensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every e2e golden case run as its stipple command line (the manifest's "cli"), embedded, with the
 * assembled distribution's plugins; the .latent and the PNGs compared with ComfyUI's.
 */
class CliGoldenIT {
    @TempDir
    Path out;

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(Golden.path("e2e"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesComfyUi(String name) throws IOException {
        var manifest = Golden.manifest("e2e/" + name);
        List<String> args = new ArrayList<>();
        for (JsonElement e : manifest.getAsJsonArray("cli")) {
            args.add(e.getAsString().replace("shared/golden/", Golden.path("").toString() + "/")
                    .replace("OUT.latent", out.resolve("OUT.latent").toString()).replace("OUT.png", out.resolve("OUT.png").toString()));
        }
        args.removeFirst(); // "stipple"
        var run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());

        GoldenTensors expected = Golden.tensors("e2e/" + name + "/data.safetensors");
        GoldenTensors latent = GoldenTensors.read(out.resolve("OUT.latent"));
        assertEquals(true, latent.has("latent_format_version_0"));
        assertCloseRelative(name + " latent", expected.floats("samples"), latent.floats("latent_tensor"), 1e-3);

        int batch = expected.shape("png")[0];
        int per = expected.shape("png")[1] * expected.shape("png")[2] * 3;
        for (int b = 0; b < batch; b++) {
            Path png = batch == 1 ? out.resolve("OUT.png") : out.resolve("OUT_b" + b + ".png");
            float[] want = java.util.Arrays.copyOfRange(expected.floats("png"), b * per, (b + 1) * per);
            assertClose(name + " png[" + b + "]", want, pixels(ImageIO.read(png.toFile())), 1.0);
        }
    }

    static float[] pixels(BufferedImage img) {
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
