package io.stipple.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/demo's picture, drawn the way the script draws it (the settings of tools/demo.args, the
 * first prompt of tools/demo-prompts.txt, the distribution's default model by name, no size), but
 * embedded instead of over a server, and the README that shows it.
 */
class DemoIT {
    private static final Path REPO = Path.of(System.getProperty("stipple.repo", "..")).toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theDemoDrawsARedShapeOnABlueBackgroundAtTheModelsOwnSize() throws IOException {
        var run = draw(dir.resolve("demo.png"));
        assertTrue(run.err().contains("drew \"a red circle on a blue background\", 64x64, seed 42 (sd15) in "), run.err());
        BufferedImage img = ImageIO.read(dir.resolve("demo.png").toFile());
        assertEquals(64, img.getWidth());
        assertEquals(64, img.getHeight());
        int red = 0;
        int centre = 0;
        int blue = 0;
        int border = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int[] c = rgb(img, x, y);
                if (x >= 24 && x < 40 && y >= 24 && y < 40) {
                    centre++;
                    red += c[0] > Math.max(c[1], c[2]) + 60 ? 1 : 0;
                }
                if (Math.min(Math.min(x, y), Math.min(63 - x, 63 - y)) < 4) {
                    border++;
                    blue += c[2] > Math.max(c[0], c[1]) + 40 ? 1 : 0;
                }
            }
        }
        assertTrue(red >= 0.95 * centre, red + " of the " + centre + " centre pixels are red");
        assertTrue(blue >= 0.95 * border, blue + " of the " + border + " pixels of the 4-pixel border are blue");
    }

    @Test
    void theReadmesPictureIsTheDemosEnlargedEightTimes() throws IOException {
        assertEquals(0, draw(dir.resolve("demo.png")).exitCode());
        var montage = CliRunner.run("montage", "--scale", "8", "--out", dir.resolve("demo-x8.png").toString(), dir.resolve("demo.png").toString());
        assertEquals(0, montage.exitCode(), montage.err());
        BufferedImage expected = ImageIO.read(REPO.resolve("docs/demo.png").toFile());
        BufferedImage actual = ImageIO.read(dir.resolve("demo-x8.png").toFile());
        assertEquals(512, expected.getWidth());
        assertEquals(512, expected.getHeight());
        // the CLI draws ComfyUI's pixels within ±1, so a picture drawn on another machine is within ±2 of this one
        io.stipple.tensor.testing.TensorAssert.assertClose("docs/demo.png", CliGoldenIT.pixels(expected), CliGoldenIT.pixels(actual), 2.0);
    }

    @Test
    void theReadmesFirstScreenShowsThePictureAndTheReadmeListsTheGalleryPrompts() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        String firstScreen = readme.substring(0, readme.indexOf("\n## "));
        assertTrue(firstScreen.contains("tools/demo") && firstScreen.contains("docs/demo.png"), firstScreen);
        for (String prompt : prompts()) {
            assertTrue(readme.contains("`" + prompt + "`"), "the README lists the sample prompt " + prompt);
        }
    }

    private static CliRunner.Run draw(Path out) {
        var run = CliRunner.run("generate", "@" + REPO.resolve("tools/demo.args"), "--prompt", prompts().getFirst(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        return run;
    }

    private static List<String> prompts() {
        try {
            return Files.readAllLines(REPO.resolve("tools/demo-prompts.txt")).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int[] rgb(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
    }
}
